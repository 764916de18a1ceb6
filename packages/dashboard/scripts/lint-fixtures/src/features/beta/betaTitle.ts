// Allowed: a feature using app state and a shared helper.
import { appName } from '../../app/appState';
import { shout } from '../../lib/shout';

export const betaTitle = shout(appName);
