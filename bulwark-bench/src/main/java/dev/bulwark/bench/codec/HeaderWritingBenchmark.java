package dev.bulwark.bench.codec;

import dev.bulwark.edge.codec.HeaderText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import org.openjdk.jmh.annotations.*;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writing a proxied request's twelve header lines into a pooled direct buffer: one byte per
 * char as Netty's encoders and {@link HeaderText} do ({@code perChar}), against copying each
 * String's bytes in bulk with {@code getBytes(ISO_8859_1)} ({@code bulk}), which the edge tried
 * and dropped: no faster, and it allocates a copy of every header string.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class HeaderWritingBenchmark {
    private static final short COLON_SP = (':' << 8) | ' ';
    private static final short CRLF = ('\r' << 8) | '\n';
    HttpHeaders headers;
    ByteBuf buf;

    @Setup
    public void setup() {
        headers = new DefaultHttpHeaders();
        headers.add("Host", "www.example.com");
        headers.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
        headers.add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        headers.add("Accept-Language", "en-GB,en;q=0.9");
        headers.add("Accept-Encoding", "gzip, deflate, br");
        headers.add("Cookie", "session=3f9a1c2e7b4d4e0f9a8b7c6d5e4f3a2b; theme=dark");
        headers.add(AsciiString.cached("x-forwarded-for"), "198.51.100.23");
        headers.add(AsciiString.cached("x-forwarded-proto"), AsciiString.cached("https"));
        headers.add(AsciiString.cached("x-forwarded-host"), "www.example.com");
        headers.add(AsciiString.cached("forwarded"), "for=198.51.100.23;proto=https;host=www.example.com");
        headers.add(AsciiString.cached("via"), AsciiString.cached("1.1 bulwark"));
        headers.add(AsciiString.cached("bulwark-request-id"), "9f3c2a1b7d4e5f60");
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
    }

    @TearDown
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    public int perChar() {
        buf.clear();
        HeaderText.writeHeaders(headers, buf);
        return buf.writerIndex();
    }

    @Benchmark
    public int bulk() {
        buf.clear();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            copy(h.getKey());
            buf.writeShort(COLON_SP);
            copy(h.getValue());
            buf.writeShort(CRLF);
        }
        return buf.writerIndex();
    }

    private void copy(CharSequence text) {
        if (text instanceof String s) buf.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        else ByteBufUtil.writeAscii(buf, text);
    }
}
