package dev.countersign;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads the heaviest classes on a second thread while the main thread reads settings and opens
 * the database. Start-up is mostly class loading; on two cores doing it in parallel is most of
 * what keeps it under two seconds.
 */
final class Warmup {

    private static final List<String> CLASSES = List.of(
            "org.eclipse.jetty.server.Server",
            "org.eclipse.jetty.server.ServerConnector",
            "org.eclipse.jetty.ee10.servlet.ServletContextHandler",
            "org.eclipse.jetty.ee10.servlet.ServletHolder",
            "com.slack.api.bolt.App",
            "com.slack.api.bolt.AppConfig",
            "com.slack.api.bolt.jakarta_servlet.SlackAppServlet",
            "com.slack.api.bolt.util.SlackRequestParser",
            "com.slack.api.model.view.View",
            "com.slack.api.model.block.SectionBlock",
            "com.slack.api.util.json.GsonFactory",
            "com.google.gson.Gson",
            "com.fasterxml.jackson.databind.ObjectMapper");

    private static final String JETTY_REFERENCES_PER_CACHE_LINE =
            "org.eclipse.jetty.util.referencesPerCacheLine";
    /** Jetty's own default ({@code org.eclipse.jetty.util.cacheLineBytes}). */
    private static final int CACHE_LINE_BYTES = 64;

    private Warmup() {
    }

    static void start() {
        answerJettysCacheLineQuestion();
        Thread.ofPlatform().name("warmup").daemon().start(() -> {
            for (String name : CLASSES) {
                try {
                    Class.forName(name, true, Warmup.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    return; // only an optimisation
                }
            }
        });
        // Every HTTP client builds its TLS context when it is made, even for an http:// URL:
        // reading the JDK's trusted certificates was 300 ms of the Slack check at start-up.
        // The JDK keeps them once read.
        Thread.ofPlatform().name("warmup-tls").daemon().start(() -> {
            try {
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
                        .init((KeyStore) null);
                SSLContext.getDefault();
            } catch (GeneralSecurityException | RuntimeException e) {
                // only an optimisation: the first client reports what is wrong
            }
        });
    }

    /**
     * Jetty sizes its padding by how many references fill a cache line and, unless told, asks the
     * platform MBean server whether compressed oops are on: creating that server registers every
     * platform MBean (about 400 classes, JFR's commands among them) for this one answer. The
     * answer from the diagnostic MXBean alone costs nothing; an operator's own setting wins.
     */
    private static void answerJettysCacheLineQuestion() {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) != null) {
            return;
        }
        try {
            boolean compressed = Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(
                    HotSpotDiagnosticMXBean.class).getVMOption("UseCompressedOops").getValue());
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE,
                    String.valueOf(CACHE_LINE_BYTES / (compressed ? 4 : 8)));
        } catch (RuntimeException e) {
            // not HotSpot: Jetty finds out for itself
        }
    }
}
