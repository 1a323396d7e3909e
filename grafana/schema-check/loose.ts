// Grafana's generated types use TypeScript enums ("thresholds" is FieldColorModeId.Thresholds), which a JSON
// literal can never satisfy. Loose<T> turns each string enum into the union of its values and keeps every
// other rule: required properties, property types, and excess-property errors on object literals.
export type Loose<T> =
  T extends string ? `${T}` :
  T extends number | boolean | null | undefined ? T :
  T extends Array<infer U> ? Array<Loose<U>> :
  T extends object ? { [K in keyof T]: Loose<T[K]> } :
  T;
