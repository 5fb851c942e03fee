// 드라이버가 영어로 남긴 참고 사항과 사실(facts)을 한국어로: 알려진 문장만 옮기고, 모르는 문장은 원문 그대로 둡니다.

type Rule = [RegExp, (m: RegExpExecArray) => string];

const g = (m: RegExpExecArray, i: number) => m[i] ?? '';

const RULES: Rule[] = [
  [/^the default socket$/, () => '기본 소켓'],
  [/^rootless Docker \((.+)\)$/, (m) => `rootless Docker(${g(m, 1)})`],
  [/^Docker context (\S+) \((.+)\)$/, (m) => `Docker 컨텍스트 ${g(m, 1)}(${g(m, 2).replace(/^currentContext in (.+)$/, '$1의 currentContext')})`],
  [/^(rootless|rootful) Podman \((.+)\)$/, (m) => `${g(m, 1)} Podman(${g(m, 2)})`],
  [/^\/dev\/kvm is missing or not read-writable$/, () => '/dev/kvm이 없거나 읽기·쓰기 권한이 없음'],
  [/^\/dev\/kvm is present but a KVM trial boot failed: (.+?); cached from a trial at (\S+) on (.+?), kernel (\S+), (.+?) \(accel: kvm-trial or `isobench doctor` tries again\)$/s,
    (m) => `/dev/kvm은 있지만 KVM 시험 부팅이 실패했습니다(${koNote(g(m, 1))}). ${g(m, 2)}에 ${g(m, 3)}, 커널 ${g(m, 4)}, ${g(m, 5)}에서 한 시험 결과를 캐시한 것입니다(accel: kvm-trial 또는 \`isobench doctor\`로 다시 시험합니다)`],
  [/^VM accelerator: TCG \((.+)\)\. TCG is QEMU software emulation: .*?-accel tcg,tb-size=(\d+): .*$/s,
    (m) => `VM 가속: TCG(${koNote(g(m, 1))}). TCG는 QEMU의 소프트웨어 에뮬레이션입니다. 게스트의 모든 명령어를 번역하므로 KVM보다 부팅과 실행이 몇 배 느리고, 여기의 VM 부팅·실행 시간은 하드웨어 가속 VM의 시간이 아닙니다. QEMU는 -accel tcg,tb-size=${g(m, 2)}로 돌았고, 그 번역 캐시(최대 ${g(m, 2)} MiB)는 게스트 메모리가 아니라 보고된 QEMU RSS에 들어 있습니다.`],
  [/^VM install time: measured at image build \((\S+)\), not in this run: .*$/s,
    (m) => `VM 설치 시간: 이번 실행이 아니라 이미지 빌드(${g(m, 1)}) 때 잰 값입니다. 부팅한 게스트 안이 아니라 chroot 안에서 휠하우스의 requests를 게스트 venv에 pip install --no-index 했습니다.`],
  [/^measured at image build \((\S+)\), not in this run: .*$/s,
    (m) => `이번 실행이 아니라 이미지 빌드(${g(m, 1)}) 때 잰 값: chroot 안에서 휠하우스로 pip install --no-index`],
  [/^The full-OS guest is a server-style Debian install: .*$/s,
    () => '전체 OS 게스트는 서버형 데비안 설치입니다: 데비안 최소 기반(debootstrap minbase)에 서버의 서비스(journald를 포함한 systemd, udev, D-Bus, systemd-networkd, OpenSSH, cron, logrotate, sudo)와 Python, venv를 더했고 데스크톱은 없습니다. 문서의 VM은 ISO로 설치한 Ubuntu 22.04(설치 5 GB, 20 GB 디스크 중 8 GB 사용)이며 판을 밝히지 않아 데스크톱 설치를 그 대신으로 둡니다. 그 크기는 데스크톱 게스트가 돌았으면 그것으로 판정하고, 이 게스트의 크기는 최소 서버 VM의 무게로 옆에 보여 주기만 합니다.'],
  [/^The desktop-OS guest is the full-OS guest plus Debian's GNOME desktop task .*$/s,
    () => '데스크톱 OS 게스트는 전체 OS 게스트에 데비안의 GNOME 데스크톱 태스크(task-gnome-desktop과 그 Recommends, 데비안 설치 프로그램이 기본 데스크톱으로 까는 것)를 더한 것이며, 문서의 Ubuntu 22.04 데스크톱 VM처럼 20 GiB 가상 디스크를 씁니다. multi-user.target까지 부팅합니다(디스플레이 관리자는 돌지 않음). 이 행은 크기만 보여 줍니다(게스트 안의 df, 가상 디스크, 이미지). 시간을 재지 않는 부팅 한 번에서 얻은 값이며, 부팅·메모리·격리는 전체 OS 게스트 행의 증거입니다.'],
  [/^docker: cannot pull (\S+): .*?; pull=auto, so used the offline base (\S+) \((.+)\)$/s,
    (m) => `docker: ${g(m, 1)} 이미지를 받을 수 없었습니다(레지스트리에 연결되지 않음). pull=auto이므로 오프라인 베이스 ${g(m, 2)}(${g(m, 3)})를 썼습니다. 이 컴퓨터를 네트워크에 연결하거나 environments.docker.registry에 미러를 지정하면 받을 수 있습니다.`],
  [/^Vagrant machines: libvirt driver (qemu \(TCG|kvm).*$/s,
    (m) => `Vagrant 머신: libvirt 드라이버 ${g(m, 1).startsWith('kvm') ? 'kvm' : 'qemu(TCG 소프트웨어 에뮬레이션이라 부팅이 훨씬 느림)'}. 생성은 박스에서 머신 하나를 만들고, 설치는 그 머신을 프로비저닝하며, 시작 표본마다 vagrant halt 뒤 같은 머신을 다시 부팅합니다(프로비저닝 없음). 명령은 vagrant ssh-config가 준 옵션으로 일반 ssh를 통해, 부팅마다 연결 하나로 보냅니다. libvirt NAT 네트워크는 이 머신 안에 머뭅니다.`],
  [/^venv install: wall time of pip install (.+?) with pip's own configuration, in this run; it includes (\d+) retries of an index pip could not reach \((.+?)\), .*$/s,
    (m) => `venv 설치: pip 자체 설정으로 한 pip install ${g(m, 1)}의 걸린 시간(이번 실행). pip가 닿지 않는 인덱스를 ${g(m, 2)}번 재시도한 시간이 들어 있습니다(${g(m, 3)}). 설정된 인덱스에 모두 닿는 머신에서는 설치가 더 짧습니다.`],
  [/^Vagrant: the probes' second machine (\S+) was made from the box and given the provisioned machine's (\S+) over ssh \(tar, (\S+) s\) instead of being provisioned again; nothing timed it$/,
    (m) => `Vagrant: 프로브용 두 번째 머신 ${g(m, 1)}은 박스에서 만든 뒤, 다시 프로비저닝하지 않고 프로비저닝된 머신의 ${g(m, 2)}를 ssh로 복사해 받았습니다(tar, ${g(m, 3)}초). 이 과정은 시간을 재지 않았습니다`],
  [/^probes: 127\.0\.0\.1:(.+?) already in use \(another run on this machine, or a server\); the probes used (\d+) and (\d+) instead \(probePort sets the pair\)$/,
    (m) => `프로브: 127.0.0.1:${g(m, 1).replace(' and ', ', ')} 포트를 이미 다른 프로그램이 쓰고 있어(이 머신의 다른 실행이나 서버), 대신 ${g(m, 2)}번과 ${g(m, 3)}번 포트로 프로브했습니다(probePort로 두 포트를 정합니다)`],
  [/^vagrant destroy -f took (.+) \(one per machine\)$/s, (m) => `vagrant destroy -f 소요 시간: ${g(m, 1)}(머신마다 하나)`],
  [/^Upgraded from results schema v(\d): (.*)$/s, (m) => `결과 스키마 v${g(m, 1)}에서 올렸습니다: 오늘의 규칙으로 주장을 다시 판정했습니다${/intervals/.test(g(m, 2)) ? '(신뢰구간은 표본에서 다시 계산)' : ''}.`],
  [/^systemd reached multi-user\.target \(the agent is a unit ordered after it\)$/, () => 'systemd가 multi-user.target에 도달함(에이전트는 그 뒤에 오는 유닛)'],
  [/^(.*?)kernel \+ initramfs from the guest's \/boot$/, (m) => `${g(m, 1)}게스트 /boot의 커널 + initramfs`],
  [/^direct kernel boot \(QEMU -kernel, (\d+)-module initrd\), no firmware boot loader$/, (m) => `커널 직접 부팅(QEMU -kernel, 모듈 ${g(m, 1)}개짜리 initrd), 펌웨어 부트로더 없음`],
  [/^(.*?) \(the full guest's disk as a box\)$/, (m) => `${g(m, 1)}(전체 OS 게스트의 디스크를 박스로)`],
  [/^sh script \(no systemd\)$/, () => 'sh 스크립트(systemd 없음)'],
  [/^docker: builds and the layer pair are measured on the Docker row only: this row runs the image that engine built$/, () => 'docker: 빌드와 레이어 한 쌍은 Docker 행에서만 잽니다. 이 행은 그 엔진이 빌드한 이미지를 돌립니다'],
  [/^podman: memory\.container\.bytes not measured: rootless containers get no cgroup of their own here \((.+)\); the stats API would report another quantity$/s,
    (m) => `podman: memory.container.bytes는 재지 않았습니다. 여기서는 루트리스 컨테이너가 자기 cgroup을 갖지 못합니다(${g(m, 1)}). stats API는 다른 양을 보고할 것입니다`],
  [/^podman: containers run with network none \((.+)\); set environments\.docker\.podman\.network to choose$/s,
    (m) => `podman: 컨테이너는 network none으로 실행합니다(${koNote(g(m, 1))}). environments.docker.podman.network로 고를 수 있습니다`],
  [/^\/dev\/net\/tun is not open to uid (\d+), so slirp4netns cannot start$/, (m) => `uid ${g(m, 1)}이 /dev/net/tun을 열 수 없어 slirp4netns를 시작할 수 없음`],
  [/^the KVM guest did not report ready within (\d+) s$/, (m) => `KVM 게스트가 ${g(m, 1)}초 안에 준비되었다고 알리지 않았습니다`],
  [/^its CPU flags include "hypervisor": it runs under a hypervisor$/, () => 'CPU 플래그에 "hypervisor"가 있습니다: 하이퍼바이저 위에서 돕니다'],
  [/^the init script started the agent$/, () => 'init 스크립트가 에이전트를 시작함'],
  [/^vagrant up of the halted, provisioned machine returned, then its Python answered over ssh$/, () => '멈춘(halt) 프로비저닝된 머신의 vagrant up이 끝나고, ssh로 그 안의 Python이 응답함'],
  [/^yes: (\S+) and (\S+) both hold all (\d+) layers of (\S+) by the same digests \((\d+) shared\), which the storage driver keeps once$/,
    (m) => `예: 두 이미지 ${g(m, 1)}, ${g(m, 2)} 모두 ${g(m, 4)}의 레이어 ${g(m, 3)}개를 같은 다이제스트로 가지며(공유 ${g(m, 5)}개), 스토리지 드라이버는 이를 한 번만 저장합니다`],
  [/^(?:yes: )?after changing (\S+), rebuilding (\S+) made (\d+) new layer\(s\) and reused (\d+) of (\d+) by digest; steps from cache: (\d+) of (\d+)$/,
    (m) => `${g(m, 1)} 변경 뒤 ${g(m, 2)} 재빌드: 새 레이어 ${g(m, 3)}개, 다이제스트로 재사용 ${g(m, 4)}/${g(m, 5)}개, 캐시에서 가져온 단계 ${g(m, 6)}/${g(m, 7)}개`],
  [/^yes: (\d+) containers ran at once from image (\S+)$/, (m) => `예: 이미지 ${g(m, 2)} 하나로 컨테이너 ${g(m, 1)}개가 동시에 돌았습니다`],
  [/^yes: (\d+) containers wrote files; image ID (\S+) → (\S+) \(unchanged\), and a new container did not see their writes$/,
    (m) => `예: 컨테이너 ${g(m, 1)}개가 파일을 썼지만 이미지 ID는 ${g(m, 2)} → ${g(m, 3)}(그대로)이고, 새 컨테이너는 그 파일을 보지 못했습니다`],
  [/^full: (\S+) (\S+), built (\S+); micro: (\S+) (\S+), built (\S+)$/, (m) => `전체 OS: ${g(m, 1)} ${g(m, 2)}(${g(m, 3)} 빌드); 마이크로 VM: ${g(m, 4)} ${g(m, 5)}(${g(m, 6)} 빌드)`],
];

/** 알려진 영어 문장의 한국어 번역; 모르는 문장은 그대로 돌려줍니다. */
export function koNote(text: string): string {
  for (const [re, to] of RULES) {
    const m = re.exec(text);
    if (m) return to(m);
  }
  return text;
}
