package dev.bulwark.server.origin;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/** Native epoll when the platform has it (less CPU per request), NIO otherwise. */
record NettyTransport(IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel, String name) {

    static NettyTransport best() {
        if (Epoll.isAvailable()) {
            return new NettyTransport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, "epoll");
        }
        return new NettyTransport(NioIoHandler.newFactory(), NioServerSocketChannel.class, "nio");
    }

    MultiThreadIoEventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }
}
