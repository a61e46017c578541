// vader-sentiment (Apache-2.0) ships a CommonJS bundle without types; this is the part Tend uses.
declare module "vader-sentiment" {
  type PolarityScores = { neg: number; neu: number; pos: number; compound: number };
  const vader: { SentimentIntensityAnalyzer: { polarity_scores(text: string): PolarityScores } };
  export default vader;
}
