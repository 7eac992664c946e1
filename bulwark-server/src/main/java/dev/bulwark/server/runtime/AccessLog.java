package dev.bulwark.server.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.bulwark.edge.observe.AccessLogSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Where the edge's JSON access lines go, per {@code edge.access_log}: {@code stdout} (the
 * {@code bulwark.access} logger, async in logback.xml), {@code off}, or a file path (an
 * async file appender added here). Both async appenders never block: under overload a
 * line is dropped rather than an event loop stalled. The setting can change on reload.
 */
public final class AccessLog implements AccessLogSink, AutoCloseable {
    static final String STDOUT_LOGGER = "bulwark.access";
    static final String FILE_LOGGER = "bulwark.access.file";
    private static final Consumer<String> OFF = line -> { };

    private volatile Consumer<String> sink = OFF;
    private String setting;

    public AccessLog(String setting) { configure(setting); }

    @Override
    public void accept(String line) { sink.accept(line); }

    /** False while the setting is {@code off}: the edge then skips formatting lines. */
    @Override
    public boolean enabled() { return sink != OFF; }

    /** Points the log at {@code setting}; throws IllegalArgumentException when a file cannot be written. */
    public synchronized void configure(String setting) {
        String s = setting == null ? "stdout" : setting.trim();
        if (s.equals(this.setting)) return;
        switch (s) {
            case "off" -> sink = OFF;
            case "stdout" -> {
                Logger l = LoggerFactory.getLogger(STDOUT_LOGGER);
                sink = l::info;
            }
            default -> sink = toFile(Path.of(s));
        }
        if (this.setting != null && isFile(this.setting) && !isFile(s)) detachFile();
        this.setting = s;
    }

    public synchronized String setting() { return setting; }

    private static boolean isFile(String s) { return !s.equals("off") && !s.equals("stdout"); }

    /** Throws IllegalArgumentException when {@code setting} names a file that cannot be written; changes nothing. */
    public static void check(String setting) {
        String s = setting == null ? "stdout" : setting.trim();
        if (isFile(s)) ensureWritable(Path.of(s));
    }

    private static void ensureWritable(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the access log to " + path + ": " + e.getMessage(), e);
        }
    }

    private static Consumer<String> toFile(Path path) {
        ensureWritable(path);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) {
            throw new IllegalStateException("access log files need logback as the SLF4J backend");
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(lc);
        encoder.setPattern("%msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(lc);
        file.setName("access-file");
        file.setFile(path.toString());
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(lc);
        async.setName("access-file-async");
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.addAppender(file);
        async.start();
        ch.qos.logback.classic.Logger logger = lc.getLogger(FILE_LOGGER);
        logger.detachAndStopAllAppenders();
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(async);
        return logger::info;
    }

    private static void detachFile() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext lc) {
            lc.getLogger(FILE_LOGGER).detachAndStopAllAppenders();
        }
    }

    @Override
    public synchronized void close() {
        sink = OFF;
        if (setting != null && isFile(setting)) detachFile();
    }
}
