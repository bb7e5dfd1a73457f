import { inspect } from 'node:util';

// A value that must never be printed (a token PIN): every way an object turns into text shows
// "(hidden)", so a stray log line, a JSON dump or an error built from it cannot leak it.

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The value itself: for the one call that needs it (C_Login), never for text. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '(hidden)';
  }
  toJSON(): string {
    return '(hidden)';
  }
  [inspect.custom](): string {
    return 'Secret((hidden))';
  }
}
