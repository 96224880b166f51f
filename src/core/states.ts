// The states of a TCP connection (core/tcp.ts TcpConnection.state; core/push.ts reads them too).

/**
 * Connection states, in this order: a connection is open or being opened while RESOLVING <= state <= CONNECTED
 * (nodemcu/socket.ts checks that range); events are delivered only before CLOSING.
 */
export const IDLE = 0, RESOLVING = 1, CONNECTING = 2, CONNECTED = 3, CLOSING = 4, CLOSED = 5;
