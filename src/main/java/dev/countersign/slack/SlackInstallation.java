package dev.countersign.slack;

import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.response.bots.BotsInfoResponse;
import dev.countersign.people.Installation;
import java.io.IOException;

/**
 * Reads, once at start-up, where the bot token is installed: Slack's
 * <a href="https://docs.slack.dev/reference/methods/auth.test">auth.test</a> names the team, the
 * org and whether the install is org-wide, and Bolt's token check reuses the same answer. Slack
 * leaves the app id out of auth.test for most bot tokens; then
 * <a href="https://docs.slack.dev/reference/methods/bots.info">bots.info</a> on the answer's
 * {@code bot_id} gives it ({@code users:read} scope).
 */
record SlackInstallation(Installation installation, AuthTestResponse authTest) {

    static SlackInstallation read(Slack slack, String botToken) {
        AuthTestResponse auth;
        try {
            auth = slack.methods(botToken).authTest(request -> request);
        } catch (IOException | SlackApiException e) {
            throw new IllegalArgumentException("auth.test failed: " + e.getMessage(), e);
        }
        if (!auth.isOk()) {
            throw new IllegalArgumentException("auth.test error: " + auth.getError());
        }
        String appId = auth.getAppId() != null && !auth.getAppId().isBlank() ? auth.getAppId()
                : appIdOf(slack, botToken, auth.getBotId());
        return new SlackInstallation(new Installation(appId, auth.getTeamId(),
                auth.getEnterpriseId(), auth.isEnterpriseInstall()), auth);
    }

    private static String appIdOf(Slack slack, String botToken, String botId) {
        if (botId == null || botId.isBlank()) {
            throw new IllegalArgumentException("auth.test names no bot: SLACK_BOT_TOKEN must be "
                    + "a bot token (xoxb-…)");
        }
        BotsInfoResponse info;
        try {
            info = slack.methods(botToken).botsInfo(request -> request.bot(botId));
        } catch (IOException | SlackApiException e) {
            throw new IllegalArgumentException("bots.info failed: " + e.getMessage(), e);
        }
        if (!info.isOk() || info.getBot() == null || info.getBot().getAppId() == null) {
            throw new IllegalArgumentException("bots.info did not name the app ("
                    + (info.isOk() ? "no app_id" : info.getError())
                    + "); give the app the users:read scope (manifest.yml) and reinstall it");
        }
        return info.getBot().getAppId();
    }
}
