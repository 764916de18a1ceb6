export const appName = 'dashboard';
