import type { GetWeatherHandler } from '../../generated/tools.ts';

/**
 * Tool "get_weather". This file is yours: mcp-gen created it once and never overwrites it.
 * A stand-in forecast (no network): the same city always gets the same weather.
 */
export const getWeather: GetWeatherHandler = async (input, ctx) => {
  const city = input.city.trim();
  if (city === '') return ctx.error('city must not be empty');
  ctx.progress(1, 2, `looking up ${city}`);
  let hash = 0;
  for (const ch of city.toLowerCase()) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  const celsius = (hash % 35) - 5;
  const conditions = ['sunny', 'cloudy', 'rainy', 'windy', 'foggy'][hash % 5]!;
  ctx.progress(2, 2);
  return {
    structured: {
      temperature: input.units === 'imperial' ? Math.round((celsius * 9) / 5 + 32) : celsius,
      conditions,
    },
  };
};
