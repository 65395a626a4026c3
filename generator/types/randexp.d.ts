declare module 'randexp' {
  export default class RandExp {
    constructor(pattern: string | RegExp, flags?: string);
    max: number;
    randInt: (from: number, to: number) => number;
    gen(): string;
  }
}
