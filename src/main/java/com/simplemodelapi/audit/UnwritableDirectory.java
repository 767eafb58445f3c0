package com.simplemodelapi.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Says what to do about an audit directory this process may not write to: the usual case is a bind mount owned by
 * root on the host, while the server runs as an unprivileged user (uid 10001 in the container image).
 */
final class UnwritableDirectory {
    private UnwritableDirectory() {
    }

    /** What to do, when {@code file}'s directory exists and this process cannot write to it; empty otherwise. */
    static Optional<String> advice(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || Files.isWritable(dir)) {
            return Optional.empty();
        }
        Optional<Object> owner = uid(dir);
        Optional<Object> self = uid(Path.of("/proc/self"));
        String user = self.map(uid -> "uid " + uid).orElse("user " + System.getProperty("user.name"));
        return Optional.of("the directory " + dir + owner.map(uid -> ", owned by uid " + uid + ",").orElse("")
                + " is not writable by this server's " + user + ": make it writable by that user"
                + self.map(uid -> " (chown " + uid + " " + dir + ", or on the host's directory for a bind mount)")
                .orElse(""));
    }

    /** The owner's uid, where the file system says (Linux, macOS); {@code /proc/self} is this process's own. */
    private static Optional<Object> uid(Path path) {
        try {
            return Optional.of(Files.getAttribute(path, "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
