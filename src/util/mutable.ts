/** `T` without its `readonly` modifiers: for building a readonly shape field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
