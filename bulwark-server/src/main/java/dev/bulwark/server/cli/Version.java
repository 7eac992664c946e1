package dev.bulwark.server.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from a resource Maven filters at build time. */
public final class Version implements CommandLine.IVersionProvider {
    public static String number() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/bulwark-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    public static String line() {
        return "bulwark " + number() + " (Java " + Runtime.version() + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ")";
    }

    @Override
    public String[] getVersion() { return new String[]{line()}; }
}
