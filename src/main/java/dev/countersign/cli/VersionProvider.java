package dev.countersign.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the Maven project version, written into {@code countersign-version.properties}
 * when the jar is built (a filtered resource, so it is right in tests too, where there is no
 * jar manifest to read).
 */
final class VersionProvider implements IVersionProvider {

    static final String RESOURCE = "/countersign-version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"countersign " + version()};
    }

    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "(unknown version)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }
}
