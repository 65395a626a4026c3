/**
 * The view of MCP App "weather-card" (ui://weather-card), shown by hosts for `get_weather`.
 * `npm run build` bundles it into dist/apps/weather-card.html. `WeatherCardViewOutput` is the
 * tool's output schema as a type: rename a field in mcp-gen.yaml and tsc points here.
 */
import { createWeatherCardView, type WeatherCardViewInput, type WeatherCardViewOutput } from '../generated/apps/weather-card.ts';

const view = createWeatherCardView();
const $ = (id: string) => document.getElementById(id)!;
const card = $('card');
const refresh = $('refresh') as HTMLButtonElement;
const ICONS: Record<WeatherCardViewOutput['conditions'], string> = { sunny: '☀', cloudy: '☁', rain: '☂', snow: '❄' };
let lastInput: WeatherCardViewInput | undefined;

function setStatus(state: string, text: string): void {
  card.dataset.state = state;
  $('status').textContent = text;
}

function render(weather: WeatherCardViewOutput): void {
  const unit = weather.units === 'imperial' ? '°F' : '°C';
  $('city').textContent = weather.city;
  $('temperature').textContent = `${weather.temperature} ${unit}`;
  $('conditions').textContent = `${ICONS[weather.conditions]} ${weather.conditions}`;
  $('outlook').replaceChildren(
    ...weather.outlook.map((day) => {
      const item = document.createElement('li');
      item.textContent = `${day.day}: ${ICONS[day.conditions]} ${day.low}–${day.high} ${unit}`;
      return item;
    }),
  );
  setStatus('done', '');
  refresh.disabled = false;
}

view.onToolInput((input) => {
  lastInput = input;
  $('city').textContent = input.city;
  setStatus('running', 'Looking up the weather…');
});
view.onToolResult((weather) => render(weather));
view.onToolError((message) => setStatus('error', message));
view.onToolCancelled((reason) => setStatus('error', reason ?? 'Cancelled'));

// The view calls the tool again through the host: no network access of its own is needed.
refresh.addEventListener('click', async () => {
  if (!lastInput) return;
  refresh.disabled = true;
  setStatus('running', 'Refreshing…');
  try {
    render((await view.callTool('get_weather', lastInput)).output);
  } catch (error) {
    setStatus('error', error instanceof Error ? error.message : String(error));
    refresh.disabled = false;
  }
});

await view.connect();
