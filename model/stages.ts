export const STAGES = ["production", "staging", "development"] as const;
export type Stage = (typeof STAGES)[number];
export const NON_PRODUCTION_STAGES = ["staging", "development"] as const satisfies readonly Stage[];
