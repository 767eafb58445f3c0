package com.simplemodelapi.audit;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.common.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine of the {@link AuditFileAppender}: lines are queued, and one writer thread appends them to the
 * {@link AuditFile} in batches and forces them to the disk at least every {@code forceInterval}.
 *
 * <p>While the file can be written, a full queue makes the caller (the logging thread, and behind it the request
 * threads) wait rather than drop a line. When a write
 * fails, the log becomes unwritable until a write works again. Failing closed, the failed batch is kept and retried
 * and {@link #accepting()} turns false, so requests are refused while the disk is broken; failing open, the batch is
 * counted in {@code audit.lost} and requests go on. A stop drains the queue before it returns.
 *
 * <p>The writer thread survives every failure short of a broken JVM, as a failed write. Should it die anyway, or make
 * no progress for {@value #STUCK_SECONDS} s with lines waiting (a write hung on a dead network disk), the log is as
 * unwritable: nobody waits on it, and failing closed, requests are refused.
 */
final class AuditFileWriter {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFileWriter.class);
    private static final int BATCH = 4096;
    private static final long IDLE_CHECK_MILLIS = 250;
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long LONGEST_RETRY_PAUSE_MILLIS = 1_000;
    private static final long STOP_RETRY_MILLIS = 10_000;
    static final int STUCK_SECONDS = 5;
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(STUCK_SECONDS);
    private static final long OFFER_WAIT_MILLIS = 100;
    static final int STOP_WAIT_SECONDS = 30;

    private final AuditFile file;
    private final BlockingQueue<byte[]> queue;
    private final boolean failClosed;
    private final Meter written;
    private final Counter lost;
    private final Meter forced;
    private final Clock clock;
    private final long forceIntervalNanos;

    private volatile boolean writable = true;
    private volatile String failure;
    private volatile Instant failingSince;
    private volatile boolean stopping;
    private boolean stopped;
    private volatile long progressNanos = System.nanoTime();
    private volatile Throwable death;
    private boolean lastWriteFailed;
    private boolean unforced;
    private long forcedAtNanos = System.nanoTime();
    private Thread thread;

    AuditFileWriter(AuditSettings settings, MetricRegistry metrics, Clock clock) {
        this.file = new AuditFile(settings.file(), settings.retentionDays(), clock);
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.failClosed = settings.failClosed();
        this.written = metrics.meter("audit.written");
        this.lost = metrics.counter("audit.lost");
        this.forced = metrics.meter("audit.forced");
        this.forceIntervalNanos = settings.forceInterval().toNanos();
    }

    /**
     * Queues one line, without its line break. While the writer works, a full queue makes the caller wait for room:
     * back-pressure. While the log cannot be written, or the writer is dead or stuck, it never waits: beyond the queue
     * the line is lost, and counted. An interrupt (the logging thread being stopped) does not drop the line.
     */
    void record(byte[] line) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (queue.offer(line, isWritable() ? OFFER_WAIT_MILLIS : 0, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (!isWritable()) {
                    lost.inc();
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether requests may be served: the log can be written, or lines may be lost (failing open). */
    boolean accepting() {
        return isWritable() || !failClosed;
    }

    int queued() {
        return queue.size();
    }

    /** True while lines reach the file: the last write worked and the writer is alive and not stuck. */
    boolean isWritable() {
        return writable && !isDead() && !isStuck();
    }

    /** Why the log cannot be written, and since when; null while it can. */
    String failure() {
        Throwable died = death;
        if (died != null) {
            return "the audit writer thread died: " + died;
        }
        if (isStuck()) {
            return "the audit writer has written nothing for " + TimeUnit.NANOSECONDS.toSeconds(sinceProgress())
                    + " s with " + queue.size() + " lines waiting";
        }
        return writable ? null : failure + " (since " + failingSince + ")";
    }

    private boolean isDead() {
        return death != null || thread != null && !thread.isAlive() && !stopping;
    }

    private boolean isStuck() {
        // The clock first: asking the queue takes its lock, on every line recorded.
        return sinceProgress() > STUCK_NANOS && !queue.isEmpty();
    }

    private long sinceProgress() {
        return System.nanoTime() - progressNanos;
    }

    Path path() {
        return file.path();
    }

    void start() throws IOException {
        Files.createDirectories(file.path().getParent());
        check();
        thread = new Thread(this::writeUntilStopped, "audit-writer");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((dead, e) -> {
            death = e;
            LOG.error("The audit writer thread died; {}", failClosed
                    ? "application requests get 503 until the server is restarted"
                    : "records are lost until the server is restarted", e);
        });
        thread.start();
    }

    /**
     * Drains the queue and returns; a writer stuck in a write that never returns is given up on after
     * {@value #STOP_WAIT_SECONDS} s, so the server still stops.
     */
    synchronized void stop() throws InterruptedException {
        if (thread == null || stopped) {
            return;
        }
        stopping = true;
        // Interrupted here, the stop is left unfinished, for the next call to finish.
        thread.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
        stopped = true;
        if (thread.isAlive()) {
            int dropped = queue.size();
            lost.inc(dropped);
            LOG.error("The audit writer did not finish within {} s; stopping with {} queued audit records unwritten",
                    STOP_WAIT_SECONDS, dropped);
            return;
        }
        file.close();
    }

    private void writeUntilStopped() {
        List<byte[]> batch = new ArrayList<>(BATCH);
        ByteArrayOutputStream lines = new ByteArrayOutputStream(64 * 1024);
        long pause = 0;
        long giveUpAt = Long.MAX_VALUE;
        while (true) {
            progressNanos = System.nanoTime();
            try {
                if (batch.isEmpty()) {
                    byte[] first = poll();
                    if (first == null) {
                        if (stopping) {
                            forceQuietly();
                            return;
                        }
                        check();
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    encode(batch, lines);
                }
                file.append(ByteBuffer.wrap(lines.toByteArray()));
                progressNanos = System.nanoTime();
                unforced = true;
                written.mark(batch.size());
                boolean full = batch.size() == BATCH;
                batch.clear();
                pause = 0;
                lastWriteFailed = false;
                markWritable();
                forceWhenDue();
                if (!full && !stopping) {
                    // Let the next lines gather, so that under load each write carries many of them, and request
                    // threads rarely have to wake this one.
                    LockSupport.parkNanos(GATHER_NANOS);
                }
            } catch (Throwable e) {
                // Anything short of a broken JVM is a failed write: an I/O error, a roll that met a file it could
                // not delete, an out-of-memory. The thread must go on, or every request would soon wait on it.
                Fatal.rethrowIfFatal(e);
                lastWriteFailed = true;
                markUnwritable(e);
                if (!failClosed) {
                    lost.inc(batch.size());
                    batch.clear();
                    continue;
                }
                if (stopping) {
                    giveUpAt = Math.min(giveUpAt, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_RETRY_MILLIS));
                    if (System.nanoTime() > giveUpAt) {
                        int dropped = batch.size() + queue.size();
                        lost.inc(dropped);
                        LOG.error("Stopping with {} audit records that could not be written to {}", dropped, file.path());
                        return;
                    }
                }
                pause = Math.min(Math.max(pause * 2, 50), LONGEST_RETRY_PAUSE_MILLIS);
                sleep(pause);
            }
        }
    }

    /** Forces what was written to the disk once {@code forceInterval} has passed since the last time. */
    private void forceWhenDue() throws IOException {
        if (unforced && System.nanoTime() - forcedAtNanos >= forceIntervalNanos) {
            forceNow();
            forcedAtNanos = System.nanoTime();
        }
    }

    private void forceNow() throws IOException {
        if (file.force()) {
            forced.mark();
        }
        unforced = false;
    }

    private void forceQuietly() {
        try {
            if (unforced) {
                forceNow();
            }
        } catch (IOException e) {
            LOG.warn("Could not force the audit log {} to the disk at stop: {}", file.path(), e.getMessage());
        }
    }

    private byte[] poll() {
        try {
            return queue.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            stopping = true;
            return null;
        }
    }

    private static void encode(List<byte[]> batch, ByteArrayOutputStream lines) {
        lines.reset();
        for (byte[] line : batch) {
            lines.writeBytes(line);
            lines.write('\n');
        }
    }

    /**
     * While idle, forces what is due, notices a file or directory gone or made read-only, and a reopen that works
     * again.
     */
    private void check() {
        try {
            forceWhenDue();
            file.ensureOpen();
            if (!lastWriteFailed) {
                markWritable();
            }
        } catch (IOException e) {
            markUnwritable(e);
        }
    }

    private void markWritable() {
        if (!writable) {
            writable = true;
            LOG.info("The audit log {} can be written again", file.path());
        }
    }

    private void markUnwritable(Throwable e) {
        if (writable) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage()
                    + UnwritableDirectory.advice(file.path()).map(advice -> "; " + advice).orElse("");
            failingSince = clock.instant();
            writable = false;
            String consequence = failClosed ? "application requests get 503 until it can" : "records are lost until it can";
            if (e instanceof IOException) {
                LOG.error("The audit log {} cannot be written ({}); {}", file.path(), failure, consequence);
            } else {
                LOG.error("The audit log {} cannot be written; {}", file.path(), consequence, e);
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            stopping = true;
        }
    }
}
