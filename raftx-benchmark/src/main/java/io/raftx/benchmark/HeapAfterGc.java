package io.raftx.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node's live heap: forces a full GC with {@code jcmd PID GC.run}, then reads the used heap from GC.heap_info. */
final class HeapAfterGc {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private HeapAfterGc() {
    }

    /** Used heap in KiB right after a full GC of {@code p}. */
    static long kib(Process p) throws IOException, InterruptedException {
        jcmd(p, "GC.run");
        Matcher m = USED.matcher(jcmd(p, "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("cannot read the heap of process " + p.pid() + " from jcmd GC.heap_info");
        }
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(Process p, String command) throws IOException, InterruptedException {
        Process j = new ProcessBuilder("jcmd", Long.toString(p.pid()), command).redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + p.pid() + " " + command + " failed: " + out);
        }
        return out;
    }
}
