// A quote's note in the reader's language: the server sends each note's words as data (its kind and
// the days, day and plan name its English text is written from), and they are written here with the
// catalogue's messages and the locale's dates. A note without words, or of a kind this portal does
// not know yet, shows its text as it is.
import { date } from "./format.js";
import { has, plural, t } from "./i18n.js";

/** A quote's note `text` written from its `words` (the `note_words` entry beside it), or the text. */
export function noteText(text, words) {
  if (!words) return text;
  const key = `note.${words.kind}`;
  const params = { days: words.days, name: words.name, day: words.day ? date(words.day) : "" };
  if (has(key)) return t(key, params);
  // a note counting days has a form per plural category, of the term's days where it names them
  const counted = words.days_in_term != null ? words.days_in_term : words.days;
  return counted != null && has(`${key}.other`) ? plural(key, counted, params) : text;
}
