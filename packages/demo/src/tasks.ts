/**
 * The simulated agent's task set: small arithmetic word problems (a GSM8K-like calculator agent), with the
 * expression the agent should hand to its calculator tool, and a stand-in tokenizer for token-id arrays.
 */
import type { Rng } from './rng.js';

export interface MathTask {
  task_id: string;
  question: string;
  /** What a correct agent passes to the calculator tool. */
  expression: string;
  answer: number;
}

type Template = (a: number, b: number, c: number) => Omit<MathTask, 'task_id'>;

const TEMPLATES: Template[] = [
  (a, b, c) => ({
    question: `A baker fills ${a} trays with ${b} muffins each and sells ${c} of them. How many muffins are left?`,
    expression: `${a} * ${b} - ${c}`,
    answer: a * b - c,
  }),
  (a, b, c) => ({
    question: `Mia reads ${a} pages a day for ${b} days, then ${c} more pages. How many pages did she read?`,
    expression: `${a} * ${b} + ${c}`,
    answer: a * b + c,
  }),
  (a, b, c) => ({
    question: `A train travels ${a * c} km in ${c} hours and then ${b} km more. How far does it go in total?`,
    expression: `${a * c} + ${b}`,
    answer: a * c + b,
  }),
  (a, b, c) => ({
    question: `${a * b} apples are shared equally among ${b} baskets, and each basket gets ${c} extra. How many apples per basket?`,
    expression: `${a * b} / ${b} + ${c}`,
    answer: a + c,
  }),
];

export function makeTask(rng: Rng, index: number): MathTask {
  const template = rng.pick(TEMPLATES);
  const [a, b, c] = [rng.int(3, 40), rng.int(2, 12), rng.int(1, 30)];
  return { task_id: `math-${String(index).padStart(5, '0')}`, ...template(a, b, c) };
}

/** A wrong answer of the kind small models give: an off-by-one, a dropped term or a sign slip. */
export function wrongAnswer(rng: Rng, answer: number): number {
  const slips = [answer + 1, answer - 1, answer + rng.int(2, 15), Math.round(answer / 2), answer * 10];
  return rng.pick(slips.filter((value) => value !== answer));
}

/** Qwen2.5's vocabulary size: token IDs look plausible for the model the demo pretends to train. */
const VOCAB_SIZE = 151_643;

/** Deterministic pseudo-tokenization: roughly 1.3 tokens per word, IDs hashed from the word pieces. */
export function tokenIds(text: string): number[] {
  const ids: number[] = [];
  for (const word of text.split(/(\s+|[.,?!:()*/+-])/).filter((w) => w.trim().length > 0)) {
    for (let start = 0; start < word.length; start += 4) {
      let hash = 2166136261;
      for (const ch of word.slice(start, start + 4)) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619);
      ids.push((hash >>> 0) % VOCAB_SIZE);
    }
  }
  return ids;
}
