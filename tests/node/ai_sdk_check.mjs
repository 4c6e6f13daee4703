// The Vercel AI SDK (`ai` with `@ai-sdk/openai`) against the live mock: Responses (its default) and Chat
// Completions, text, a stream, a tool loop, a structured object, reasoning with its summary, embeddings.
// Prints what it saw as JSON; errors are reported, not thrown, so the test shows every one.
import { generateText, streamText, generateObject, embedMany, tool, stepCountIs } from "ai";
import { createOpenAI } from "@ai-sdk/openai";
import { z } from "zod";

const openai = createOpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL });
const weather = tool({ description: "Get the weather for a city", inputSchema: z.object({ city: z.string() }),
                       execute: async ({ city }) => ({ city, temperature: 21 }) });
const seen = {};
async function check(name, run) {
  try { seen[name] = await run(); } catch (error) { seen[name] = { error: String(error).slice(0, 500) }; }
}
await check("responses_text", async () => (await generateText({ model: openai("gpt-4o-mini"), prompt: "Say hello." })).text);
await check("chat_text", async () => (await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "Say hello." })).text);
await check("stream", async () => {
  let text = "";
  for await (const delta of streamText({ model: openai("gpt-4o-mini"), prompt: "Stream hello." }).textStream) text += delta;
  return text;
});
for (const [name, model] of [["responses_tools", openai("gpt-4o-mini")], ["chat_tools", openai.chat("gpt-4o-mini")]]) {
  await check(name, async () => {
    const r = await generateText({ model, prompt: "What is the weather in Paris?", tools: { weather }, stopWhen: stepCountIs(3) });
    return { steps: r.steps.length, calls: r.steps.flatMap((s) => s.toolCalls.map((c) => [c.toolName, c.input])), text: r.text };
  });
}
await check("object", async () => (await generateObject({ model: openai("gpt-4o-mini"), prompt: "Alice is 30 years old.",
                                                          schema: z.object({ name: z.string(), age: z.number() }) })).object);
await check("reasoning", async () => {
  const r = await generateText({ model: openai("gpt-5"), prompt: "Think, then say hi.",
                                 providerOptions: { openai: { reasoningEffort: "low", reasoningSummary: "auto" } } });
  return { text: r.text, summary: r.reasoningText, reasoningTokens: r.usage.outputTokenDetails?.reasoningTokens ?? r.usage.reasoningTokens };
});
await check("embeddings", async () => (await embedMany({ model: openai.embedding("text-embedding-3-small"), values: ["a", "b"] }))
  .embeddings.map((e) => e.length));
console.log(JSON.stringify(seen));
