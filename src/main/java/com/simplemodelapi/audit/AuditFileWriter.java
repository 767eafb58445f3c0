package com.simplemodelapi.audit;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.dropwizard.lifecycle.Managed;
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
 * The audit log: request threads queue events, and one writer thread appends them to the {@link AuditFile} in
 * batches, one JSON line each.
 *
 * <p>While the file can be written, a full queue makes request threads wait rather than drop a line. When a write
 * fails, the log becomes unwritable until a write works again. Failing closed, the failed batch is kept and retried
 * and {@link #accepting()} turns false, so requests are refused while the disk is broken; failing open, the batch is
 * counted in {@code audit.lost} and requests go on. A stop drains the queue before it returns.
 */
public final class AuditFileWriter implements AuditLog, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFileWriter.class);
    private static final int BATCH = 4096;
    private static final long IDLE_CHECK_MILLIS = 250;
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long LONGEST_RETRY_PAUSE_MILLIS = 1_000;
    private static final long STOP_RETRY_MILLIS = 10_000;

    private final AuditFile file;
    private final BlockingQueue<AuditEvent> queue;
    private final ObjectWriter json;
    private final boolean failClosed;
    private final Meter written;
    private final Counter lost;
    private final Clock clock;

    private volatile boolean writable = true;
    private volatile String failure;
    private volatile Instant failingSince;
    private volatile boolean stopping;
    private boolean lastWriteFailed;
    private Thread thread;

    public AuditFileWriter(AuditSettings settings, ObjectMapper json, MetricRegistry metrics, Clock clock) {
        this.file = new AuditFile(Path.of(settings.getFile()), settings.getRetentionDays(), clock);
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.getQueueSize());
        this.json = json.writerFor(AuditEvent.class);
        this.failClosed = settings.isFailClosed();
        this.written = metrics.meter("audit.written");
        this.lost = metrics.counter("audit.lost");
        metrics.gauge("audit.queued", () -> queue::size);
    }

    @Override
    public void record(AuditEvent event) {
        if (!writable) {
            // Waiting for a broken disk would hang every request thread; beyond the queue the line is lost, and counted.
            if (!queue.offer(event)) {
                lost.inc();
            }
            return;
        }
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lost.inc();
        }
    }

    @Override
    public boolean accepting() {
        return writable || !failClosed;
    }

    public boolean isWritable() {
        return writable;
    }

    /** Why the log cannot be written, and since when; null while it can. */
    public String failure() {
        return writable ? null : failure + " (since " + failingSince + ")";
    }

    public Path path() {
        return file.path();
    }

    @Override
    public void start() throws IOException {
        Files.createDirectories(file.path().getParent());
        check();
        thread = new Thread(this::writeUntilStopped, "audit-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        stopping = true;
        thread.join();
        file.close();
    }

    private void writeUntilStopped() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        ByteArrayOutputStream lines = new ByteArrayOutputStream(64 * 1024);
        long pause = 0;
        long giveUpAt = Long.MAX_VALUE;
        while (true) {
            if (batch.isEmpty()) {
                AuditEvent first = poll();
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    check();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                encode(batch, lines);
            }
            try {
                file.append(ByteBuffer.wrap(lines.toByteArray()));
                written.mark(batch.size());
                boolean full = batch.size() == BATCH;
                batch.clear();
                pause = 0;
                lastWriteFailed = false;
                markWritable();
                if (!full && !stopping) {
                    // Let the next lines gather, so that under load each write carries many of them, and request
                    // threads rarely have to wake this one.
                    LockSupport.parkNanos(GATHER_NANOS);
                }
            } catch (IOException e) {
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

    private AuditEvent poll() {
        try {
            return queue.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            stopping = true;
            return null;
        }
    }

    private void encode(List<AuditEvent> batch, ByteArrayOutputStream lines) {
        lines.reset();
        for (AuditEvent event : batch) {
            try {
                json.writeValue(lines, event);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot serialise an audit event", e);
            }
            lines.write('\n');
        }
    }

    /** While idle, notices a file or directory gone or made read-only, and a reopen that works again. */
    private void check() {
        try {
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

    private void markUnwritable(IOException e) {
        if (writable) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            failingSince = clock.instant();
            writable = false;
            LOG.error("The audit log {} cannot be written ({}); {}", file.path(), failure,
                    failClosed ? "application requests get 503 until it can" : "records are lost until it can");
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
