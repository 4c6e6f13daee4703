// A short run of the Node `openai` SDK against OPENAI_BASE_URL: chat, a streaming chat with tools, a gpt-5
// tool loop on Responses, the SDK's runTools chat loop, a gpt-5 chat stream with usage, structured output
// through chat.completions.parse, and a retry after a 429 (the Python test queues it for the message "please retry me"; it stays the last chat call).
// Prints one line per check and exits non-zero on the first failure.
import OpenAI from "openai";

const client = new OpenAI({ maxRetries: 2 });
const TOOL = {
  type: "function",
  function: {
    name: "get_weather", description: "Weather for a location",
    parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
};

function check(name, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ": " + detail : ""}`);
  if (!ok) process.exit(1);
}

const chat = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] });
check("chat", Boolean(chat.choices[0].message.content) && chat.usage.total_tokens > 0);

const stream = await client.chat.completions.create({
  model: "gpt-4o", stream: true, tools: [TOOL],
  messages: [{ role: "user", content: "What's the weather in London and Paris?" }],
});
const calls = [];
let chunks = 0;
let finish = null;
for await (const chunk of stream) {
  chunks += 1;
  for (const choice of chunk.choices) {
    for (const delta of choice.delta.tool_calls ?? []) {
      calls[delta.index] ??= { name: "", arguments: "" };
      if (delta.function?.name) calls[delta.index].name += delta.function.name;
      if (delta.function?.arguments) calls[delta.index].arguments += delta.function.arguments;
    }
    finish = choice.finish_reason ?? finish;
  }
}
const locations = calls.map((c) => JSON.parse(c.arguments).location);
check("streaming chat with tools", chunks > 2 && finish === "tool_calls" && calls.every((c) => c.name === "get_weather")
  && JSON.stringify(locations) === JSON.stringify(["London", "Paris"]), JSON.stringify({ chunks, finish, locations }));

// gpt-5 tool loop on Responses: function_call, then the whole output (reasoning items included, as the
// real API wants them replayed) plus a function_call_output, then a final text answer.
const WEATHER = {
  type: "function", name: "get_weather", description: "Get the current weather for a city.", strict: true,
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
};
const asked = await client.responses.create({ model: "gpt-5", input: "What's the weather in Paris right now?", tools: [WEATHER] });
const fnCalls = asked.output.filter((item) => item.type === "function_call");
check("responses gpt-5 function call", fnCalls.length === 1 && fnCalls[0].name === "get_weather"
  && JSON.parse(fnCalls[0].arguments).city === "Paris" && asked.output.some((item) => item.type === "reasoning"),
  JSON.stringify(asked.output.map((item) => item.type)));
const answered = await client.responses.create({
  model: "gpt-5", tools: [WEATHER],
  input: [
    { role: "user", content: "What's the weather in Paris right now?" },
    ...asked.output,
    ...fnCalls.map((call) => ({ type: "function_call_output", call_id: call.call_id, output: "It is 21C and sunny in Paris." })),
  ],
});
check("responses gpt-5 final answer after the tool output", answered.status === "completed"
  && answered.output_text.length > 0 && !answered.output.some((item) => item.type === "function_call")
  && answered.usage.output_tokens_details.reasoning_tokens > 0, answered.output_text);

// The SDK's own chat tool loop (runTools): it calls the function, sends the result back, returns the answer.
const cities = [];
const runner = client.chat.completions.runTools({
  model: "gpt-5", messages: [{ role: "user", content: "What's the weather in Paris right now?" }],
  tools: [{
    type: "function",
    function: {
      name: "get_weather", description: "Get the current weather for a city.", parse: JSON.parse,
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      function: ({ city }) => { cities.push(city); return `It is 21C and sunny in ${city}.`; },
    },
  }],
});
const ranTools = await runner.finalContent();
check("chat gpt-5 runTools loop", JSON.stringify(cities) === '["Paris"]' && ranTools.includes("21C and sunny in Paris"),
  JSON.stringify({ cities, ranTools }));

// gpt-5 chat stream with reasoning_effort and include_usage: text deltas, then one usage chunk with no choices.
const reasoned = await client.chat.completions.create({
  model: "gpt-5", stream: true, reasoning_effort: "low", stream_options: { include_usage: true },
  messages: [{ role: "user", content: "Explain in two sentences why the sky is blue." }],
});
let text = "";
let usage = null;
let usageChunkChoices = null;
for await (const chunk of reasoned) {
  for (const choice of chunk.choices) text += choice.delta.content ?? "";
  if (chunk.usage) { usage = chunk.usage; usageChunkChoices = chunk.choices.length; }
}
check("chat gpt-5 stream with include_usage", text.length > 0 && usageChunkChoices === 0
  && usage.completion_tokens_details.reasoning_tokens > 0
  && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens, JSON.stringify(usage));

// Structured output: a strict json_schema response_format, parsed by the SDK's chat.completions.parse
// (what zodResponseFormat produces, written as plain JSON schema: zod is not installed).
const parsed = await client.chat.completions.parse({
  model: "gpt-5", messages: [{ role: "user", content: "The weather in Paris is 21C and sunny. Report it." }],
  response_format: {
    type: "json_schema",
    json_schema: {
      name: "city_weather", strict: true,
      schema: {
        type: "object", additionalProperties: false, required: ["city", "temperature_c", "conditions"],
        properties: { city: { type: "string" }, temperature_c: { type: "number" }, conditions: { type: "string" } },
      },
    },
  },
});
const report = parsed.choices[0].message.parsed;
check("chat gpt-5 structured output parsed", report !== null && report.city === "Paris" && report.temperature_c === 21
  && typeof report.conditions === "string", JSON.stringify(report));

const { data, response } = await client.chat.completions
  .create({ model: "gpt-4o", messages: [{ role: "user", content: "please retry me" }] })
  .withResponse();
check("retry after 429", response.status === 200 && Boolean(data.choices[0].message.content));
console.log("node openai all ok");
