import { a } from './cycleA';

export const b = () => (Math.random() > 2 ? a() : 0);
