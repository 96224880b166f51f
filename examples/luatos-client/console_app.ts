// Stands in for LuatOS's demo/socket/client/long_connection/uart_app.lua (a board's UART1 to a PC): what the
// clients receive ("RECV_DATA_FROM_SERVER", prefix, data) is written out as one line, here with trace().
import sys from "luatos/sys";

function recv_data_from_server_proc(prefix: string, data: unknown) {
	trace(prefix + data + "\r\n");
}

sys.subscribe("RECV_DATA_FROM_SERVER", recv_data_from_server_proc);
