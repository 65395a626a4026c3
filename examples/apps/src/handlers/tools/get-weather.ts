import type { GetWeatherHandler, GetWeatherOutput } from '../../generated/tools.ts';
import { hostSupportsApps } from '../../generated/apps.ts';

type Conditions = GetWeatherOutput['conditions'];
const CONDITIONS: Conditions[] = ['sunny', 'cloudy', 'rain'];
const conditionsFor = (n: number, celsius: number): Conditions => (celsius <= 1 ? 'snow' : CONDITIONS[n % CONDITIONS.length]!);
const DAYS = ['Today', 'Tomorrow', 'Day after'];

/** A stand-in for a weather service: the same city always gets the same weather. */
function seed(city: string): number {
  let h = 0;
  for (const c of city.toLowerCase()) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

const toUnits = (celsius: number, units: GetWeatherOutput['units']) => (units === 'imperial' ? Math.round(celsius * 1.8 + 32) : celsius);

/**
 * Tool "get_weather". The view (ui://weather-card) renders `structured`; `content` is what a model
 * reads and what clients without MCP Apps show, so it says everything the card says.
 */
export const getWeather: GetWeatherHandler = async (input, ctx) => {
  const city = input.city.trim();
  if (city === '') return ctx.error('city must not be empty');
  const units = input.units === 'imperial' ? 'imperial' : 'metric';
  const s = seed(city);
  const base = -2 + (s % 30);
  const structured: GetWeatherOutput = {
    city,
    units,
    temperature: toUnits(base, units),
    conditions: conditionsFor(s, base),
    outlook: DAYS.map((day, i) => ({
      day,
      high: toUnits(base + 2 + ((s >>> (i + 2)) % 4), units),
      low: toUnits(base - 4 - ((s >>> (i + 5)) % 3), units),
      conditions: conditionsFor(s >>> (i * 3), base),
    })),
  };
  const unit = units === 'imperial' ? '°F' : '°C';
  let text = `${city}: ${structured.temperature} ${unit}, ${structured.conditions}.`;
  // Clients that render the card see the outlook there; give the others all of it in text.
  if (!hostSupportsApps(ctx)) text += ` Outlook: ${structured.outlook.map((d) => `${d.day} ${d.low}–${d.high} ${unit} ${d.conditions}`).join('; ')}.`;
  return { structured, content: [{ type: 'text', text }] };
};
