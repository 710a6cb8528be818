package org.mha4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards one local address to another, and breaks like a network link: {@link #close()} drops every connection at
 * once; {@link #freeze()} silently holds every byte (and every new connection) until {@link #thaw()}, as a partition
 * does with packets that TCP retransmits once it heals.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;

    public TcpProxy(String listenHost, int listenPort, String targetHost, int targetPort) throws IOException {
        server = new ServerSocket(listenPort, 50, InetAddress.getByName(listenHost));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    open.add(in);
                    Thread.ofVirtual().start(() -> connect(in, targetHost, targetPort));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void connect(Socket in, String targetHost, int targetPort) {
        awaitThaw();
        try {
            Socket out = new Socket(targetHost, targetPort);
            open.add(out);
            pump(in, out);
            pump(out, in);
        } catch (IOException e) {
            closeQuietly(in);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[16384];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buf)) >= 0) {
                    awaitThaw();
                    o.write(buf, 0, n);
                    o.flush();
                }
            } catch (IOException ignored) {
                // the link was cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private void awaitThaw() {
        while (frozen && !server.isClosed()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Nothing passes any more, in either direction, and nobody is told: a silent partition. */
    public void freeze() {
        frozen = true;
    }

    public void thaw() {
        frozen = false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Stops accepting and drops every connection. */
    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(TcpProxy::closeQuietly);
    }
}
