import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SOURCES = `${ROOT}pipeline/sources`;
export const LETTER_DIR = `${SOURCES}/khalaf-2017-03-17`;
