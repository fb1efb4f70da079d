package dev.countersign.people;

import java.util.Objects;

/**
 * Where Countersign is installed, as Slack's {@code auth.test} describes its bot token: the app,
 * the workspace, the Enterprise Grid org (null outside one), and whether the install is org-wide.
 * It decides who a person is and which requests are Countersign's to answer.
 */
public record Installation(String appId, String teamId, String enterpriseId, boolean orgWide) {

    public Installation {
        Objects.requireNonNull(appId, "appId");
        enterpriseId = blankToNull(enterpriseId);
        teamId = blankToNull(teamId);
        if (orgWide && enterpriseId == null) {
            throw new IllegalArgumentException("an org-wide install names its enterprise");
        }
        if (!orgWide && teamId == null) {
            throw new IllegalArgumentException("a workspace install names its team");
        }
    }

    /**
     * The id every stored row and every person is keyed by: the enterprise id for an org-wide
     * install, else the team id. In an org the same person ({@code W…}) acts under the team id
     * of whichever workspace they are in; keyed by the org, they stay one person with one phone
     * and one set of limits. Either id names the installation alone, so one database could later
     * hold several installations side by side.
     */
    public String id() {
        return orgWide ? enterpriseId : teamId;
    }

    /** The person with Slack user id {@code userId}, whichever workspace they acted in. */
    public Actor person(String userId) {
        return new Actor(id(), userId);
    }

    /**
     * Whether a request that says it comes from app {@code appId}, workspace {@code teamId} and
     * org {@code enterpriseId} is for this installation: the same app and, for an org-wide
     * install, the same org (any of its workspaces); otherwise the same workspace, and no other
     * org. A request naming no app is nobody's.
     */
    public boolean serves(String appId, String teamId, String enterpriseId) {
        if (!this.appId.equals(appId)) {
            return false;
        }
        String org = blankToNull(enterpriseId);
        if (orgWide) {
            return this.enterpriseId.equals(org);
        }
        return this.teamId.equals(teamId) && (org == null || org.equals(this.enterpriseId));
    }

    private static String blankToNull(String id) {
        return id == null || id.isBlank() ? null : id;
    }
}
