package org.mha4j.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.mha4j.config.AppConfig;
import org.mha4j.topology.ConnectFailure;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.MasterResolver;
import org.junit.jupiter.api.Test;
import org.mha4j.testing.Snapshots;

class MasterResolverTest {

    private final AppConfig app = Snapshots.threeServers(null);
    private final List<Snapshots.S> s = Snapshots.healthy(app);

    @Test
    void twoServersReplicatingFromNothingIsAnErrorListingThem() {
        s.get(2).replica = false;
        MasterResolution r = MasterResolver.resolve(Snapshots.topology(app, s));
        assertThat(r).isInstanceOf(MasterResolution.Unresolved.class);
        MasterResolution.Unresolved u = (MasterResolution.Unresolved) r;
        assertThat(u.problems()).singleElement().asString().contains("2 servers replicate from no other server")
                .contains("server1 (10.0.0.1:3306)").contains("server3 (10.0.0.3:3306)");
        assertThat(u.map()).containsExactly(
                "server1 (10.0.0.1:3306): replicates from no server, writable",
                "server2 (10.0.0.2:3306): replicates from 10.0.0.1:3306 (server1)",
                "server3 (10.0.0.3:3306): replicates from no server, read_only=ON");
    }

    @Test
    void aReplicaOfAnUnknownHostIsNamed() {
        s.get(2).masterHost = "10.9.9.9";
        MasterResolution.Unresolved u = (MasterResolution.Unresolved) MasterResolver.resolve(Snapshots.topology(app, s));
        assertThat(u.problems()).singleElement().asString()
                .isEqualTo("server3 (10.0.0.3:3306) replicates from 10.9.9.9:3306, which is not defined in app1.conf:"
                        + " add that server as a [serverN] block, or re-point server3 at a configured server");
    }

    @Test
    void aDeadMasterIsFoundThroughItsReplicas() {
        ConnectFailure refused = new ConnectFailure(ConnectFailure.Kind.REFUSED, 0, "refused");
        MasterResolution.Resolved r = (MasterResolution.Resolved) MasterResolver.resolve(Snapshots.withUnreachable(app, s, 0, refused));
        assertThat(r.master().block()).isEqualTo("server1");
        assertThat(r.masterAlive()).isFalse();
        assertThat(r.replicas()).hasSize(2);
    }

    @Test
    void dualMasterPicksTheWritableSide() {
        s.get(0).replica = true;
        s.get(0).masterHost = "10.0.0.2";
        MasterResolution.Resolved r = (MasterResolution.Resolved) MasterResolver.resolve(Snapshots.topology(app, s));
        assertThat(r.master().block()).isEqualTo("server1");
        s.get(1).readOnly = false;
        assertThat(MasterResolver.resolve(Snapshots.topology(app, s))).isInstanceOf(MasterResolution.Unresolved.class);
    }

    @Test
    void thirdTierNeedsMultiTierSlave() {
        s.get(2).masterHost = "10.0.0.2";
        MasterResolution.Unresolved u = (MasterResolution.Unresolved) MasterResolver.resolve(Snapshots.topology(app, s));
        assertThat(u.problems()).singleElement().asString().contains("multi_tier_slave=1");
        AppConfig multi = Snapshots.threeServers("multi_tier_slave=1");
        List<Snapshots.S> m = Snapshots.healthy(multi);
        m.get(2).masterHost = "10.0.0.2";
        MasterResolution.Resolved r = (MasterResolution.Resolved) MasterResolver.resolve(Snapshots.topology(multi, m));
        assertThat(r.unmanaged()).extracting(x -> x.config().block()).containsExactly("server3");
    }
}
