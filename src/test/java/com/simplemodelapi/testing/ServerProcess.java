package com.simplemodelapi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code server} command in its own JVM, for what only a real process shows: signals and exit codes. */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final int adminPort;
    private final StringBuffer output = new StringBuffer();
    private final StringBuffer stdout = new StringBuffer();
    private final List<Thread> pumps;

    private ServerProcess(Process process, int port, int adminPort) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        pumps = List.of(pump(process.getInputStream(), stdout), pump(process.getErrorStream(), null));
    }

    /** Starts {@code server config.yml} with env plus free ports, and waits until the admin port answers. */
    public static ServerProcess start(Map<String, String> env) throws IOException, InterruptedException {
        return start(Path.of(TestApp.CONFIG), env);
    }

    /** As {@link #start(Map)}, with another config file. */
    public static ServerProcess start(Path config, Map<String, String> env) throws IOException, InterruptedException {
        // A port that was free a moment ago can be taken before the server binds it (another test's connection took
        // it as its local port): the server then stops at once, and a start on two other ports is the same test.
        for (int attempt = 1; ; attempt++) {
            int port = FreePort.next();
            int adminPort = FreePort.next();
            Map<String, String> all = new HashMap<>(env);
            all.put("PORT", String.valueOf(port));
            all.put("ADMIN_PORT", String.valueOf(adminPort));
            ServerProcess server = new ServerProcess(AppProcess.builder(config, all, "server").start(), port, adminPort);
            server.process.getOutputStream().close();
            try {
                server.awaitPing(Duration.ofSeconds(90));
                return server;
            } catch (AssertionError notStarted) {
                if (attempt == 3 || !server.output().contains("Failed to bind to")) {
                    throw notStarted;
                }
            }
        }
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String output() {
        return output.toString();
    }

    /** What the process wrote to stdout alone so far. */
    public String stdout() {
        return stdout.toString();
    }

    /**
     * SIGTERM, as a container runtime or systemd stops it. Through the process handle: {@code Process.destroy} would
     * also close this end of the process's output pipes, and all it writes while it stops would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** The exit code, once all the process wrote is read; fails if it is still running after the timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("The server did not exit within " + timeout + "\n" + output());
        }
        for (Thread pump : pumps) {
            pump.join(timeout.toMillis());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitPing(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("The server exited with " + process.exitValue() + "\n" + output());
            }
            try {
                HttpResponse<Void> ping = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/ping")).build(), HttpResponse.BodyHandlers.discarding());
                if (ping.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("The server did not answer /ping within " + timeout + "\n" + output());
    }

    /** Copies a stream into {@link #output}, and into {@code alone} too unless it is null. */
    private Thread pump(InputStream in, StringBuffer alone) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                    output.append(text);
                    if (alone != null) {
                        alone.append(text);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "server-process-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

}
