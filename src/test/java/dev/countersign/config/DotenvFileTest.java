package dev.countersign.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotenvFileTest {

    private static final String BOT_TOKEN = "xoxb-1111-2222-bot-token-value";
    private static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    @TempDir
    Path directory;

    @Test
    void aBadLineIsNamedByNumberAndTheRestOfTheFileIsStillRead() throws IOException {
        Path dotenv = Files.writeString(directory.resolve(".env"), String.join("\n",
                "# Countersign",
                "SLACK_BOT_TOKEN=" + BOT_TOKEN,
                "SLACK_SIGNING_SECRET \"xoxb-secret-looking-typo\"",
                "SLACK_SIGNING_SECRET=" + SIGNING_SECRET,
                "OTP_PROVIDER=console",
                "PORT=70000"));

        assertThatThrownBy(() -> SettingsLoader.load(Map.of(), dotenv))
                .isInstanceOfSatisfying(SettingsException.class, refused -> {
                    assertThat(refused.problems()).containsExactly(
                            dotenv + " line 3 is not KEY=value (check the = and the quotes); "
                                    + "the other lines were read",
                            "PORT must be a whole number from 0 to 65535 (got \"70000\")");
                    assertThat(refused.getMessage()).doesNotContain("secret-looking-typo");
                });
    }

    @Test
    void exportPrefixesQuotesAndCommentsAreRead() throws IOException {
        Path dotenv = Files.writeString(directory.resolve(".env"), String.join("\n",
                "export SLACK_BOT_TOKEN=" + BOT_TOKEN,
                "export SLACK_SIGNING_SECRET=\"" + SIGNING_SECRET + "\"  # from Basic Information",
                "  OTP_PROVIDER = 'console'",
                "",
                "PORT=4000 # the local port",
                "LOG_LEVEL=debug"));

        Settings settings = SettingsLoader.load(Map.of(), dotenv);

        assertThat(settings.slack().botToken()).isEqualTo(BOT_TOKEN);
        assertThat(settings.slack().signingSecret()).isEqualTo(SIGNING_SECRET);
        assertThat(settings.otpProvider()).isEqualTo(Settings.OtpProvider.CONSOLE);
        assertThat(settings.port()).isEqualTo(4000);
        assertThat(settings.logLevel()).isEqualTo("DEBUG");
    }

    @Test
    void anUnclosedQuoteIsABadLine() throws IOException {
        Path dotenv = Files.writeString(directory.resolve(".env"),
                "SLACK_BOT_TOKEN=" + BOT_TOKEN + "\nSLACK_SIGNING_SECRET=\"" + SIGNING_SECRET
                        + "\nOTP_PROVIDER=console\n");

        assertThatThrownBy(() -> SettingsLoader.load(Map.of(), dotenv))
                .isInstanceOfSatisfying(SettingsException.class, refused ->
                        assertThat(refused.problems()).anySatisfy(problem ->
                                assertThat(problem).contains(" line 2 is not KEY=value")));
    }

    @Test
    void aBadWebhookUrlDoesNotHideAShortWebhookSecret() {
        Map<String, String> environment = new HashMap<>(Map.of(
                "SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_SIGNING_SECRET", SIGNING_SECRET,
                "OTP_PROVIDER", "console",
                "APPROVAL_WEBHOOK_URL", "http://payments.example.com/hook",
                "APPROVAL_WEBHOOK_SECRET", "short"));

        assertThatThrownBy(() -> SettingsLoader.load(environment, directory.resolve("none")))
                .isInstanceOfSatisfying(SettingsException.class, refused ->
                        assertThat(refused.problems()).satisfiesExactly(
                                url -> assertThat(url).startsWith(
                                        "APPROVAL_WEBHOOK_URL must be an https:// URL"),
                                secret -> assertThat(secret).startsWith(
                                        "APPROVAL_WEBHOOK_SECRET is too short")));
    }
}
