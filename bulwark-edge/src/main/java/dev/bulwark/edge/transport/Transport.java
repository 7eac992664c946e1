package dev.bulwark.edge.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.Locale;

/**
 * The I/O transport: io_uring when the kernel allows it, else native epoll, else NIO;
 * {@code -Dbulwark.transport=epoll|io_uring|nio} forces one (an unavailable one falls back).
 * io_uring is preferred because it submits a connection's receive and send without a system call
 * each: measured side by side, a refused request costs about a fifth less CPU than with epoll
 * and a proxied one a sixth less ({@code docs/benchmarks.md}). Client (upstream) channels use the
 * same transport so they can share the client's event loop.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    public static Transport best() {
        String wanted = System.getProperty("bulwark.transport", "auto").toLowerCase(Locale.ROOT);
        if (wanted.equals("nio")) return nio();
        if ((wanted.equals("auto") || wanted.equals("io_uring")) && ioUringAvailable()) {
            return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, IoUringSocketChannel.class);
        }
        if (epollAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return nio();
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    private static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable t) { // native library missing for this platform
            return false;
        }
    }

    private static boolean ioUringAvailable() {
        try {
            return IoUring.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }
}
