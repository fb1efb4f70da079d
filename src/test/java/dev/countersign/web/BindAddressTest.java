package dev.countersign.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code BIND_ADDRESS} on a real Jetty. On Linux every 127.x.y.z address reaches this machine,
 * so a server bound to 127.0.0.1 alone is told apart from one on every address by whether
 * 127.0.0.2 gets through.
 */
class BindAddressTest {

    @Test
    void boundToLoopbackItAnswersThereAndRefusesEveryOtherAddress() throws Exception {
        try (WebServer web = WebServer.start("127.0.0.1", 0, () -> true);
             HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + web.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> connect("127.0.0.2", web.port()))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void onEveryAddressByDefaultAnotherLoopbackAddressGetsThrough() throws Exception {
        try (WebServer web = WebServer.start(0, () -> true)) {
            connect("127.0.0.2", web.port());
        }
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        }
    }
}
