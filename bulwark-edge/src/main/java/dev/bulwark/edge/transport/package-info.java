/** Choice of the native (epoll, io_uring) or NIO transport. */
package dev.bulwark.edge.transport;
