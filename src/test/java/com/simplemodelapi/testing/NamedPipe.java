package com.simplemodelapi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A named pipe (FIFO) standing in for a file that takes writes only as fast as the test reads them, as a hung network
 * disk would. Opening either end waits for the other, so the reading end is opened in the background.
 */
public final class NamedPipe {
    private final CompletableFuture<InputStream> readingEnd;

    private NamedPipe(Path path) {
        this.readingEnd = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.newInputStream(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Makes the pipe at {@code path} with {@code mkfifo} and starts opening its reading end. */
    public static NamedPipe at(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            throw new IllegalStateException("mkfifo " + path + " exited with " + mkfifo.exitValue());
        }
        return new NamedPipe(path);
    }

    /** The reading end, once a writer has opened the pipe; nothing is read from it until the caller does. */
    public InputStream reader() throws InterruptedException, ExecutionException, TimeoutException {
        return readingEnd.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
}
