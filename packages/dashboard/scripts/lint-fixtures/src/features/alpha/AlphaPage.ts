// A feature reaching into another feature.
import { betaTitle } from '../beta/betaTitle';

export const alphaTitle = `alpha after ${betaTitle}`;
