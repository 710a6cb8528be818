package org.mha4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Forwards one local address to another, and breaks like a network link: {@link #close()} drops every connection at
 * once; {@link #freeze()} silently holds every byte (and every new connection) until {@link #thaw()}, as a partition
 * does with packets that TCP retransmits once it heals.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;
    private volatile double loss;

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
        retransmissionDelay(1000);  // a lost SYN is sent again after 1 s, then 2 s, ...
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
                    retransmissionDelay(200);
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

    /**
     * What a lost packet costs a TCP stream, without a kernel that can drop packets (this machine's has no netem): with
     * probability {@link #loss} the segment waits one retransmission timeout, doubled for each further loss.
     */
    private void retransmissionDelay(long firstTimeoutMs) {
        long wait = 0;
        for (long rto = firstTimeoutMs; loss > 0 && ThreadLocalRandom.current().nextDouble() < loss; rto *= 2) wait += rto;
        if (wait == 0) return;
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every segment (and connection attempt) is lost with this probability and sent again as TCP would; 0 ends it. */
    public void lossy(double probability) {
        loss = probability;
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
