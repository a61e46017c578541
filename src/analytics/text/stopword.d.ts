// stopword (MIT) ships no types; this is the part Tend uses.
declare module "stopword" {
  export const eng: string[];
  export function removeStopwords(tokens: string[], stopwords?: string[]): string[];
}
