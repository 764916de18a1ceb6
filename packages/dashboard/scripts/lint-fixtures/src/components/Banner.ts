// A shared component reading app state.
import { appName } from '../app/appState';

export const banner = `Welcome to ${appName}`;
