package dev.countersign.otp.signalwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignalWireConfigTest {

    @Test
    void bareSpaceHostIsServedOverHttps() {
        SignalWireConfig config = SignalWireConfig.of("example.signalwire.com", "project", "secret",
                null);

        assertThat(config.baseUrl().toString()).isEqualTo("https://example.signalwire.com/");
    }

    @Test
    void fullBaseUrlIsKeptAsGiven() {
        SignalWireConfig config = SignalWireConfig.of("http://127.0.0.1:8089", "project", "secret",
                "+12015550100");

        assertThat(config.baseUrl().toString()).isEqualTo("http://127.0.0.1:8089/");
        assertThat(config.from()).isEqualTo("+12015550100");
    }

    @Test
    void toStringNeverShowsTheToken() {
        SignalWireConfig config = SignalWireConfig.of("example.signalwire.com", "project",
                "PTsecret-token-value", null);

        assertThat(config.toString()).contains("project").doesNotContain("PTsecret-token-value");
    }

    @Test
    void unusableSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> SignalWireConfig.of("example.signalwire.com/path", "p", "t", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("space");
        assertThatThrownBy(() -> SignalWireConfig.of("ftp://example.com", "p", "t", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("space");
        assertThatThrownBy(() -> SignalWireConfig.of(" ", "p", "t", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("space");
        assertThatThrownBy(() -> SignalWireConfig.of("example.signalwire.com", "", "t", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("projectKey");
        assertThatThrownBy(() -> SignalWireConfig.of("example.signalwire.com", "p", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
        assertThatThrownBy(() -> SignalWireConfig.of("example.signalwire.com", "p", "t", "2015550"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from");
    }
}
