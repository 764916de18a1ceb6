// Two modules importing each other.
import { b } from './cycleB';

export const a = () => b() + 1;
