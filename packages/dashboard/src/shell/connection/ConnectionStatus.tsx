import { ConnectionIndicator } from './ConnectionIndicator';
import { useConnection } from './useConnection';

/** The indicator bound to `serverConfig.baseUrl`, the health probe and in-flight data requests. */
export function ConnectionStatus() {
  const connection = useConnection();
  return <ConnectionIndicator {...connection} />;
}
