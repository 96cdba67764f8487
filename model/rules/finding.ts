/**
 * What a rule found, in the three parts every violation message carries: what is wrong, the field it is
 * about (the policy turns it into `file:line:col field` through the component's `sources`) and how to
 * fix it. Rules return findings; policies only report them.
 */
export interface RuleFinding {
  /** Field path in the project file, e.g. `environments.staging.clone.mask` or `branches[2].ttl`. */
  field: string;
  what: string;
  fix: string;
}
