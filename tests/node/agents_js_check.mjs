// The OpenAI Agents SDK for JavaScript (@openai/agents) against the live mock: a tool agent on the Responses API
// and on Chat Completions, run to its end and streamed. Prints what it saw as JSON; errors are reported, not thrown.
import { Agent, run, tool, setDefaultOpenAIClient, setTracingDisabled, setOpenAIAPI } from "@openai/agents";
import OpenAI from "openai";
import { z } from "zod";

setTracingDisabled(true);
setDefaultOpenAIClient(new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL }));
const getWeather = tool({ name: "get_weather", description: "Get the weather for a city", parameters: z.object({ city: z.string() }),
                          execute: async ({ city }) => `It is 21C and sunny in ${city}.` });
const agent = () => new Agent({ name: "Weather", instructions: "Answer weather questions.", model: "gpt-4o-mini", tools: [getWeather] });
const seen = {};
for (const api of ["responses", "chat_completions"]) {
  setOpenAIAPI(api);
  try {
    const result = await run(agent(), "What's the weather in Paris?");
    seen[api] = { final: String(result.finalOutput), items: result.newItems.map((i) => i.type) };
  } catch (error) { seen[api] = { error: String(error).slice(0, 500) }; }
  try {
    const streamed = await run(agent(), "What's the weather in Tokyo?", { stream: true });
    let text = "";
    for await (const delta of streamed.toTextStream()) text += delta;
    await streamed.completed;
    seen[`${api}_stream`] = text;
  } catch (error) { seen[`${api}_stream`] = { error: String(error).slice(0, 500) }; }
}
console.log(JSON.stringify(seen));
