// The API layer importing app state.
import { appName } from '../app/appState';

export const endpoint = `/${appName}/v1`;
