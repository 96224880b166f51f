// The states of a TCP connection (core/tcp.ts TcpConnection.state; core/push.ts reads them too).

/** Connection states. */
export const IDLE = 0, RESOLVING = 1, CONNECTING = 2, CONNECTED = 3, CLOSING = 4, CLOSED = 5;
