// The states of a LuatOS socket ctrl (luat_network_adapter.h NW_STATE_*), as socket.state() reports them.
export const LINK_OFF = 0, OFF_LINE = 1, WAIT_DNS = 2, CONNECTING = 3, HANDSHAKE = 4, ONLINE = 5, LISTEN = 6, DISCONNECTING = 7;
