/** A piece of the letter with the 1-based line of the canonical text where it starts. */
export interface Located<T> {
  value: T;
  line: number;
}

export interface Dateline {
  text: string;
  place: string;
  /** ISO 8601 calendar date, e.g. 2017-03-17. */
  date: string;
}

export interface Person {
  honorific?: string;
  name: string;
  /** The lines after the name: titles, then (for the addressee) the organisation. */
  lines: string[];
}

export interface Letter {
  dateline: Located<Dateline>;
  salutation: Located<string>;
  body: Located<string>[];
  close: Located<string>;
  signature: Located<Person>;
  addressee: Located<Person>;
}
