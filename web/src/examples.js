// The examples menu: each example is a set of files, `ipsec.conf` first.
import hostMain from '../examples/host-to-host/ipsec.conf';
import subnetMain from '../examples/subnet-to-subnet/ipsec.conf';
import roadMain from '../examples/road-warrior/ipsec.conf';
import roadPsk from '../examples/road-warrior/ipsec.d/psk.conf';
import l2tpMain from '../examples/l2tp/ipsec.conf';

export const EXAMPLES = [
  { id: 'road-warrior', title: 'Road warrior (%default, also=, include)', files: { 'ipsec.conf': roadMain, 'ipsec.d/psk.conf': roadPsk } },
  { id: 'host-to-host', title: 'Host to host', files: { 'ipsec.conf': hostMain } },
  { id: 'subnet-to-subnet', title: 'Subnet to subnet', files: { 'ipsec.conf': subnetMain } },
  { id: 'l2tp', title: 'L2TP over IPsec', files: { 'ipsec.conf': l2tpMain } },
];
