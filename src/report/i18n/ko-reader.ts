// 읽는 사람이 먼저 보는 부분(먼저 읽기 박스, 환경, 단계)과 판정 설명의 한국어 문자열.
import type { ProbeResult } from '../../results/schema.js';
import { formatRange, formatValue } from '../format.js';
import type { enReader, PlanWords } from './en-reader.js';
import { koNote } from './ko-notes.js';
import { likenessKo, namedOrders } from './likeness.js';

type Args = Record<string, string | number>;
const s = (a: Args, k: string) => String(a[k] ?? '');
const unitOf = (a: Args) => (a.unit === 'ms' || a.unit === 'bytes' ? a.unit : 'count');
const span = (a: Args) => {
  const r = formatRange(Number(a.lo), Number(a.hi), unitOf(a));
  return a.basis === 'ci' ? `95% 신뢰구간(${r}, n=${s(a, 'n')})` : a.basis === 'samples' ? `표본 ${s(a, 'n')}개 전체(${r})` : '값 하나';
};
const yes = (b: unknown, y: string, n: string) => (b ? y : n);

/** 프로브 하나의 관찰 내용: 증거(evidence)에서 한국어로 만들고, 모르는 모양이면 영어 원문을 그대로 둡니다. */
function probeSummary(p: ProbeResult): string {
  const e = p.evidence as Record<string, unknown>;
  const str = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  const made = ((): string | undefined => {
    switch (p.id) {
      case 'port-clash':
        return p.isolated === false
          ? `같은 포트 ${String(e.port)}의 두 번째 서버가 실패했습니다: ${str('secondServer')}`
          : p.isolated
            ? `두 인스턴스가 포트 ${String(e.port)}에서 충돌 없이 서비스합니다(네트워크 스택이 따로 있음)${e.hostPortClash ? `. 둘을 호스트의 127.0.0.1:${String(e.hostPort)}에 함께 게시하면 두 번째는 실패합니다(한 호스트에서는 늘 그렇습니다)` : ''}`
            : undefined;
      case 'tmp-visibility':
        return `한 인스턴스에서 ${str('path')}에 쓴 파일을 다른 인스턴스는 ${yes(e.seenByOther, '봅니다', '보지 못합니다')}. 호스트도 ${yes(e.seenByHost, '봅니다', '보지 못합니다')}`;
      case 'kernel':
        return e.insideBootId && e.insideBootId === e.hostBootId
          ? `호스트에서 도는 바로 그 커널(같은 boot_id), 버전 ${str('inside')}`
          : `자기 커널: boot_id가 호스트와 다릅니다. 안: ${str('inside')}, 이 컴퓨터: ${str('host')}`;
      case 'process-visibility':
        return e.sentinelSeen ? `호스트 프로세스가 안에서 보입니다(프로세스 ${String(e.processesVisible)}개)` : `호스트 프로세스가 보이지 않습니다. 안에는 프로세스 ${String(e.processesVisible)}개뿐입니다`;
      case 'python-version': {
        const host = e.host && typeof e.host === 'object' ? Object.entries(e.host as Record<string, string>).map(([k, v]) => `${k} ${v.split(' ')[0]}`).join(', ') : '';
        return e.sameBinaryAs
          ? `호스트의 인터프리터 ${String(e.sameBinaryAs)}(${str('insideExecutable')}) 그대로: Python ${str('inside')}. 다른 버전은 호스트에 설치된 것만 쓸 수 있습니다(호스트: ${host})`
          : `자기 인터프리터: Python ${str('inside')}(${str('insideExecutable')}), 호스트의 어느 파일도 아닙니다(호스트: ${host})`;
      }
      case 'os-release':
        return p.isolated === false
          ? `호스트의 바로 그 /etc/os-release: ${str('inside')}`
          : `자기 /etc/os-release 사본: ${str('inside')}${e.sameText ? '(내용은 호스트와 같음)' : `(호스트: ${str('host')})`}`;
      case 'system-packages':
        return e.insidePath === null
          ? `${str('program')}(호스트: ${str('hostPath')})이 안에 없습니다`
          : p.isolated === false
            ? `안의 ${str('program')}(${str('insidePath')})은 호스트의 바로 그 파일 ${str('hostPath')}입니다`
            : `안의 ${str('program')}(${str('insidePath')})은 호스트의 것과 다른 파일입니다`;
      case 'syscall-kernel': {
        const by = str('answeredBy');
        const rel = `버전 ${str('insideRelease')}, 호스트 ${str('hostRelease')}`;
        if (by === 'host') return `이 호스트에서 도는 커널이 답합니다(같은 boot_id, ${rel})`;
        if (by === 'gvisor') return `gVisor의 Sentry가 답합니다: 커널 로그가 "Starting gVisor..."로 시작하고, 호스트 커널이 아닙니다(${rel})`;
        if (by === 'guest') return `게스트 커널이 답합니다: 그 로그에 자기 부팅 기록이 있고, 호스트 커널이 아닙니다(다른 boot_id, ${rel})`;
        if (by === 'other') return `호스트가 아닌 다른 커널이 답합니다(다른 boot_id, ${rel}). 어느 커널인지는 커널 로그를 읽지 못해 재지 못했습니다`;
        return undefined;
      }
      case 'root-mapping': {
        const map = str('uidMap').trim().replace(/\s+/g, ' ');
        if (e.rootOnHost === true) return `내부 root는 호스트의 root입니다: 안에서 uid 0으로 만든 파일의 주인이 이 호스트에서 uid 0입니다(내부 uid_map: ${map})`;
        if (e.rootOnHost === false) return `내부 root는 호스트에서 비특권 uid입니다: 안에서 uid 0으로 만든 파일의 주인이 이 호스트에서 uid ${String(e.hostOwner)}입니다(내부 uid_map: ${map})`;
        return `호스트에서 재지 못했습니다: 게스트는 자기 디스크 이미지에 쓰고, 여기서는 호스트와 나눠 쓰는 폴더가 없습니다(내부 uid_map: ${map}, 그 커널 자신의 관점일 뿐 이 호스트에 대한 증거가 아님)`;
      }
      case 'package-visibility': {
        const other = e.otherIs === 'sibling-environment' ? '같은 방식으로 만든 다른 환경에서' : '다른 인스턴스에서';
        const prefixes = e.prefixInstance ? `(sys.prefix: ${str('prefixInstance')}, 다른 쪽 ${str('prefixOther')})` : '';
        return `한 환경에 설치한 패키지를 호스트의 Python은 ${yes(Object.values((e.importableOnHost as Record<string, boolean>) ?? {}).some(Boolean), '불러옵니다', '불러오지 못합니다')}. ${other}${yes(e.importableInOther, '도 불러옵니다', '는 불러오지 못합니다')}${prefixes}`;
      }
    }
  })();
  const text = made ?? p.summary;
  return p.error ? `${text} (${p.error})` : text;
}

/** 지표의 측정 방법(지표 id별, 종류와 무관한 정의); 모르는 지표는 영어 원문. */
const METHODS: Record<string, string> = {
  'create.ms': '환경을 만드는 데 걸린 시간',
  'vagrant.ssh.ms': '실행 중인 머신에 `vagrant ssh -c \'python -c "import requests"\'`를 건 시간(문서의 접속 방식: 명령마다 Ruby와 Vagrant가 시작됨)',
  'install.ms': '패키지(requests) 설치에 걸린 시간',
  'ready.python.ms': '아무것도 돌지 않는 상태에서 환경 안의 Python 프로세스가 응답할 때까지',
  'instance.up.ms': '인스턴스가 뜰 때까지(컨테이너 실행, 또는 게스트가 에이전트까지 부팅), Python은 아직 없음',
  'import.first.ms': '첫 `python -c "import requests; print(requests.__version__)"`을 실행하는 데 걸린 시간',
  'import.warm.ms': '같은 명령을 캐시가 데워진 뒤 반복한 시간',
  'python.maxrss.bytes': '작업(requests를 불러온 Python)의 최대 RSS, 환경 안에서 getrusage로 읽음',
  'import.inner.ms': 'Python 안에서 잰 `import requests`만의 시간',
  'disk.apparent.bytes': '파일 크기의 합(du --apparent-size)',
  'disk.allocated.bytes': '할당된 블록(du -s, 문서의 du -sh와 같은 방식)',
  'disk.files.count': 'venv 아래의 파일과 링크 수',
  'activate.ms': 'bash 안에서 잰 `source bin/activate`(EPOCHREALTIME), 문서의 `time source`와 같은 방식',
  'activate.shell.ms': 'bin/activate를 읽는 새 bash를 실행하는 데 걸린 시간',
  'bash.baseline.ms': '아무것도 하지 않는 새 bash를 실행하는 데 걸린 시간(기준값)',
  'image.bytes': '`docker images`가 보여 주는 이미지 크기',
  'image.layers.count': '이미지의 레이어 수',
  'build.cold.ms': '캐시 없이 이미지를 빌드한 시간',
  'build.cached.ms': '바뀐 것 없이 다시 빌드한 시간',
  'run.cli.ms': '문서처럼 `time docker run … python -c "import requests…"`로 잰 시간',
  'run.api.create.ms': 'Engine API로 컨테이너를 만드는 데 걸린 시간',
  'run.api.start.ms': 'Engine API로 컨테이너를 시작하는 데 걸린 시간',
  'run.api.firstOutput.ms': '시작부터 첫 출력까지',
  'run.api.exit.ms': '시작부터 프로세스 종료까지',
  'run.api.remove.ms': '컨테이너를 지우는 데 걸린 시간',
  'layers.a.bytes': '레이어 예제 이미지 A의 크기',
  'layers.b.bytes': '레이어 예제 이미지 B의 크기',
  'layers.shared.bytes': 'A와 B가 같은 다이제스트로 함께 가진 레이어의 크기',
  'layers.sum.bytes': 'A와 B 크기의 단순 합',
  'layers.diskUsed.bytes': '스토리지 드라이버가 실제로 쓴 디스크',
  'memory.processes.bytes': '작업이 도는 동안 컨테이너 안 프로세스들의 RSS 합',
  'memory.container.bytes': '작업이 도는 동안 컨테이너 cgroup의 메모리',
  'memory.python.bytes': '컨테이너를 살려 두는 isobench의 유휴 PID 1(python3)의 RSS',
  'disk.actual.bytes': '디스크 이미지가 실제로 차지한 양(qemu-img의 실제 크기)',
  'disk.virtual.bytes': '디스크 이미지의 가상 크기',
  'disk.guestSize.bytes': '게스트 안 `df`의 / 크기',
  'disk.guestUsed.bytes': '게스트 안 `df`의 / 사용량',
  'disk.guestAvail.bytes': '게스트 안 `df`의 / 남은 공간',
  'memory.given.bytes': 'VM에 준 메모리(설정값)',
  'memory.qemuRss.bytes': '작업이 도는 동안 QEMU 프로세스의 RSS',
  'memory.guestUsed.bytes': '게스트 안에서 쓰인 메모리',
  'vm.image.build.ms': '게스트 이미지를 오프라인으로 빌드한 시간(한 번, 캐시됨)',
};

/** "bullseye (Debian 11)" → "bullseye(데비안 11)". */
const suiteKo = (suite: string) => suite.replace(/ \(Debian (\d+)\)$/, '(데비안 $1)');

/** 환경의 전체 설명: 사실(facts)이 있으면 그것으로 한국어 문장을 만들고, 없으면 원래 설명을 둡니다. */
function describe(label: string, f: Record<string, string>, plan?: string): string {
  const suiteRow = plan === 'suite-row';
  const accel = f['vm.accel'] ? (/tcg/i.test(f['vm.accel']) ? 'TCG(소프트웨어 에뮬레이션, KVM보다 느림)' : f['vm.accel']) : '';
  if (f['vm.profile']) {
    const guest = ({ full: '전체 OS 게스트', micro: '마이크로 VM', vagrant: 'Vagrant 박스(전체 OS 게스트의 디스크)', cloud: '클라우드 이미지 게스트' } as Record<string, string>)[f['vm.profile']] ?? `${f['vm.profile']} 게스트`;
    const os = [f['debian.suite'] ? suiteKo(f['debian.suite']) : '', f['vm.kernel'] ? `커널 ${f['vm.kernel']}` : ''].filter(Boolean).join(', ');
    return `${guest}${os ? `(${os})` : ''}: init ${koNote(f['vm.init'] ?? '?')}, 부팅 경로 ${koNote(f['vm.boot'] ?? '?')}, 메모리 ${f['vm.memoryMiB'] ?? '?'} MiB, vCPU ${f['vm.cpus'] ?? '?'}개, ${accel}. "준비됨": ${koNote(f['vm.ready'] ?? '')}${suiteRow ? '. 한 번 부팅해 격리 검사와 크기만 보는 행입니다' : ''}`;
  }
  if (f['docker.image']) {
    const offline = f['docker.imagePath'] === 'offline' ? ', 레지스트리 없이 오프라인으로 빌드' : '';
    const own = f['docker.baseImage'] === f['docker.image'];
    const base = own
      ? `${suiteKo(f['debian.suite'] ?? '?')}를 debootstrap으로 만든 이미지, python3-requests는 그 데비안 패키지${offline}`
      : `베이스 ${f['docker.baseImage'] ?? '?'}${offline}`;
    const runs = [
      f['podman.uid'] ? `rootless Podman, uid ${f['podman.uid']}로 실행` : '',
      f['gvisor.runtime'] ? `gVisor 런타임 ${f['gvisor.runtime']}(${[f['gvisor.platform'] ? `${f['gvisor.platform']} 플랫폼` : '', f['gvisor.runtimeArgs'] ?? ''].filter(Boolean).join(', ')})로 실행` : '',
      suiteRow ? '한 번 시작해 격리 검사와 크기만 보는 행' : '',
    ].filter(Boolean);
    return `이미지 ${f['docker.image']}(${base})${runs.length ? `. ${runs.join('. ')}` : ''}`;
  }
  return label.replace(/^(\S+) venv$/, '$1로 만든 venv');
}

/** 읽는 사람이 먼저 보는 부분과 판정 설명의 한국어(메시지의 `reader`). */
export const koReader = {
  note: (code: string, a: Args): string | undefined =>
    ((
      {
        'cross-kind-missing': () => `종류 간 비교에 ${s(a, 'missing')} 값이 없습니다`,
        'not-recorded': () => `${s(a, 'env')}에 ${s(a, 'what')} 기록이 없습니다`,
        'env-status': () => `${s(a, 'env')}: ${({ errored: '오류', skipped: '건너뜀' } as Record<string, string>)[s(a, 'status')] ?? s(a, 'status')}`,
        'no-env': () => `이번 실행에 ${s(a, 'kind')} 환경이 없습니다`,
        'probe-undetermined': () => `${s(a, 'probe')} 프로브가 판단하지 못했습니다`,
        'crosses-bound': () => `${span(a)}이 기준 구간의 경계(${formatValue(Number(a.bound), unitOf(a))})에 걸칩니다`,
        'crosses-2x': () => `${span(a)}이 2배 선에 걸칩니다`,
        'spans-overlap': () => '두 구간이 겹칩니다',
        emulated: () => `${s(a, 'env')}의 ${s(a, 'metric')} 값은 ${s(a, 'accel')}(소프트웨어 에뮬레이션)에서 잰 것입니다. 보여 주기만 하고 하이퍼바이저의 값으로 판정하지 않습니다`,
        'needs-kvm': () => `하이퍼바이저 오버헤드를 보려면 KVM으로 돈 VM이 필요합니다. ${s(a, 'env')}의 가속은 ${s(a, 'accel')}였고, 그 느림은 에뮬레이터의 것입니다`,
        'holds-not-shown': () => `이번 실행의 증거로는 보이지 않습니다(${koNote(s(a, 'evidence'))})`,
        'differs-host': () => `${s(a, 'env')}의 값은 ${s(a, 'value')}, 같은 시각 호스트의 값은 ${s(a, 'host')}`,
        'differs-pair': () => `${s(a, 'a')}의 값은 ${s(a, 'av')}, ${s(a, 'b')}의 값은 ${s(a, 'bv')}`,
        same: () => `이번 실행의 인스턴스(${s(a, 'envs')})는 모두 ${s(a, 'value')}였고, ${s(a, 'host') ? `호스트에도 있습니다(${s(a, 'host')})` : '프로브가 호스트 쪽 값은 기록하지 않았습니다'}. 서로 다른 두 인스턴스가 없었습니다`,
        rank: () => namedOrders(s(a, 'order'), s(a, 'quantities'), likenessKo),
        'rank-tie': () => `${namedOrders(s(a, 'order'), s(a, 'quantities'), likenessKo)} (≈: 동률. 잡음 안의 차이이거나, 값 하나씩이 2배 안)`,
        'ratio-spans': () => `비율의 구간(${Number(a.lo).toPrecision(3)}–${Number(a.hi).toPrecision(3)}배)이 ${s(a, 'above')}배에 걸칩니다`,
        'fact-unclear': () => koNote(s(a, 'fact')),
        'unlike-on': () => likenessKo.unlikeOn(s(a, 'docOn'), s(a, 'on'), s(a, 'env')),
        'unlike-how': () => likenessKo.unlikeHow(s(a, 'docHow'), s(a, 'how')),
        'rank-workload': () => `${namedOrders(s(a, 'order'), s(a, 'quantities'), likenessKo)}: 어느 종류에서나 같은 프로그램인 작업 프로세스 자체의 값`,
        'rank-emulated': () => `${s(a, 'env')}의 가속은 ${s(a, 'accel')}(소프트웨어 에뮬레이션)였고, 이 순서의 모든 측정이 그에 좌우됩니다`,
      } as Record<string, () => string>
    )[code]?.()),
  band: (text: string) => `판정 기준: ${text}`,
  bandPoint: (value: string, pct: number) => `${value} ± ${pct}%`,
  bandTwo: '벗어나면 2배 이내 또는 불일치',
  rankOf: (ranks: string, n: number) => `${n}개 중 ${ranks}위`,
  rankBy: (parts: readonly [string, string][], n: number) => `${n}개 중 ${parts.map(([q, r]) => `${q} ${r}위`).join(', ')}`,
  rankQuantity: { memory: '메모리', disk: '디스크', start: '시작 시간' } as Record<string, string>,
  ratioOf: (x: string, over: string, what?: string) => `${over}의 ${x}배${what ? `(${what})` : ''}`,
  rankBand: '값 하나씩이 서로 2배 안이거나 구간이 겹치면 동률',
  ratioBand: (above: number) => `판정 기준: 구간으로 본 비율이 ${above}배 초과`,
  notShown: (why: string) => `◇ 여기서는 보이지 않음: ${why}`,
  notShownName: '여기서는 보이지 않음',
  emulatedMark: '에뮬레이션(TCG): 보여 주기만 함',
  notShownMark: '여기서는 보이지 않음',
  emulatedLabel: 'TCG 에뮬레이션',
  emulatedHeadline: (n: number) => `그중 ${n}칸은 TCG 에뮬레이션으로 잰 VM 시간이라 보여 주기만 하고 판정하지 않았습니다.`,
  headings: {
    docTable: '문서의 구체적 비교표와 이 컴퓨터의 측정값',
    readFirst: '먼저 읽어 주세요',
    envs: '환경 (짧은 이름과 그 내용)',
    phases: '생성·설치·시작: 각 행에서 단계가 뜻하는 것',
  },
  readFirst: {
    tcg: (envs: string, reason: string) =>
      `여기의 VM(${envs})은 QEMU의 소프트웨어 에뮬레이션인 TCG로 실행했습니다. 게스트의 모든 명령어를 소프트웨어로 번역하므로 시간이 KVM을 쓰는 VM보다 몇 배 깁니다. 그 시간은 에뮬레이션이라고 표시해 보여 주기만 하고 판정하지 않습니다.${reason ? ` KVM을 쓰지 못한 이유: ${koNote(reason)}` : ''}`,
    kvm: (envs: string) => `여기의 VM(${envs})은 KVM(하드웨어 가상화)으로 실행했습니다. 시간도 판정합니다.`,
    hostVm: (v: string) => `이 호스트 자체가 가상 머신입니다(${koNote(v)}).`,
    host: (cpu: string, cores: number, mem: string) => `이 호스트: ${cpu}, 코어 ${cores}개, 메모리 ${mem}. 모든 수치는 이 컴퓨터의 것입니다.`,
    guests: (envs: string, desktop: string) =>
      `여기의 VM 게스트(${envs})는 debootstrap으로 만든 최소 데비안 서버 시스템이며 데스크톱이 없습니다. 문서의 VM은 ISO로 설치한 Ubuntu 22.04(디스크 20 GB 할당, 8 GB 사용)입니다. 문서가 판을 밝히지 않으므로 여기서는 데스크톱 설치를 그 대신으로 둡니다. ${desktop ? `문서의 VM 크기는 데스크톱을 설치한 데비안 12 게스트(${desktop})에서 판정하고, 최소 게스트의 크기는 옆에 보여 주기만 합니다.` : '데스크톱 게스트가 돌지 않았으므로 문서의 VM 크기는 옆에 보여 주기만 하고 판정하지 않습니다.'}`,
    hostVmUnknown: '이 호스트 자체가 가상 머신인지는 결과에 기록되지 않았습니다.',
    offline: (images: string) => `컨테이너 레지스트리에 닿지 않았습니다. 이미지는 받지 않고 로컬 데비안 베이스(${images}) 위에 오프라인으로 빌드했습니다.`,
    os: (seen: string, host: string) => `여기의 시스템은 모두 ${seen}입니다(호스트: ${host}). 문서의 예는 Ubuntu와 CentOS입니다.`,
    osMixed: (seen: string, host: string) => `여기서 본 시스템: ${seen}(호스트: ${host}). 문서의 예는 Ubuntu와 CentOS입니다.`,
    plan: (envs: string, p: PlanWords) => `${envs}의 측정 방식(표본 계획): ${koPlanWords(p)}.`,
    leftOut: (env: string, repeats: string) =>
      `${env}은(는) 이번 실행에서 뺐습니다. TCG에서는 ${repeats || '다른 행'}과 같은 이미지·같은 커널이라 같은 증거를 되풀이할 뿐인데, 부팅 한 번에 몇 분이 걸리기 때문입니다. 넣으려면 \`isobench run --only all\`로 실행하거나 설정에서 \`environments.vm.vagrant.enabled: true\`로 두세요.`,
  },
  envCols: { name: '짧은 이름', kind: '종류', what: '내용', python: 'Python', accel: '가속' },
  phaseCols: { env: '환경', create: '생성', install: '설치', start: '시작(준비)', means: '이 행에서 단계가 뜻하는 것' },
  phase: {
    lookup: (build: string) => `생성은 미리 만든 이미지를 찾는 일뿐입니다(이미지 빌드는 한 번, ${build} 걸림)`,
    lookupNoBuild: '생성은 미리 준비한 것을 찾는 일뿐입니다',
    atBuild: '설치 시간은 이번 실행이 아니라 이미지를 빌드할 때 잰 값입니다',
    pipIndex: (fastest: string) =>
      `설치는 pip가 패키지 인덱스에 접속해 했고, 여기서 가장 빠른 설치(${fastest})의 몇 배가 걸렸습니다. pip가 닿지 않는 인덱스를 재시도했다면 이 시간의 대부분은 설치가 아니라 기다림일 수 있습니다(결과에 pip 출력이 없어 확인할 수는 없습니다)`,
    imageBuild: (offline: boolean) => `설치는 이번 실행에서 한 이미지 빌드입니다${offline ? '(인덱스 없이 휠하우스에서 pip 설치)' : ''}`,
    pipRetried: (n: number) => `설치 시간에는 pip가 닿지 않는 인덱스를 ${n}번 재시도하며 기다린 시간이 들어 있습니다: 많은 부분이 설치가 아니라 기다림입니다`,
    cachedBuild: '설치는 Docker 행 이미지의 캐시된 빌드입니다(pip는 그 행의 캐시 없는 빌드에서 돌았음). 이 행의 엔진이나 런타임에서 돌립니다',
    preinstalled: 'requests는 이미지와 함께 왔습니다(그 스위트의 데비안 패키지, debootstrap에서): 설치 시간을 재지 않았습니다',
    fromBox: '생성은 박스에서 머신을 만드는 일입니다(vagrant up --no-provision: 박스 볼륨 가져오기, 첫 부팅)',
    provisioned: '설치는 그 머신에서 한 vagrant provision입니다(휠하우스 복사, venv, pip), 이번 실행에서 잰 값',
    restarted: '시작은 vagrant halt 뒤 같은 머신을 다시 부팅하는 것입니다(프로비저닝 없음). QEMU 행이 이미지를 부팅하는 것과 같습니다',
    emulated: '시작은 TCG 에뮬레이션으로 돌았습니다',
    same: '생성·설치·시작 모두 이번 실행에서 잰 값입니다',
  },
  probeSummary,
  method: (id: string, method: string) => METHODS[id] ?? (/^start\.phase\./.test(id) ? '시작부터 이 단계에 이르기까지의 시간(시작 시점부터 누적)' : /^density\./.test(id) ? '여러 인스턴스를 동시에 띄워 잰 값' : method),
  runNote: koNote,
  describe,
} satisfies typeof enReader;

function koIntervalWords(n: number): string {
  return n >= 6 ? '중앙값과 95% 신뢰구간을 보여 줍니다' : `표본이 ${n}개라 95% 구간을 내기에는 너무 적습니다`;
}

/** 표본 계획을 선생님이 읽기 쉬운 말로: 몇 번 쟀는지, 왜 그런지. */
function koPlanWords(p: PlanWords): string {
  const probes = p.probes ? '' : '. 격리 검사는 하지 않았습니다';
  switch (p.reason) {
    case 'fast-start': return `각각 ${p.starts}번 시작해 시간을 쟀습니다(시작이 1초도 안 걸리므로). ${koIntervalWords(p.starts)}${probes}`;
    case 'kvm': return `KVM에서 각각 ${p.starts}번 부팅해 시간을 쟀습니다. ${koIntervalWords(p.starts)}${probes}`;
    case 'tcg': return `TCG(에뮬레이션)에서 각각 부팅 시간은 한 번만, 워밍된 \`import requests\`는 ${p.imports}번 쟀습니다. 에뮬레이션 시간은 보여 주기만 하고 판정하지 않습니다. 그래서 부팅 시간은 n=1이고 신뢰구간은 없습니다. 격리 검사에 쓰는 다른 인스턴스는 그 뒤에, 시간을 재지 않고 띄웠습니다${probes}`;
    case 'suite-row': return `각각 한 번만 시작했습니다(크기와 격리 검사만 보여 주는 행입니다). 신뢰구간은 없습니다${probes}`;
    case 'sizes-only': return `시간을 재지 않는 시작 한 번뿐입니다(크기와 메모리만 봄)${probes}`;
    case 'config': return `설정에 따라 각각 ${p.starts}번 시작해 시간을 쟀습니다. ${koIntervalWords(p.starts)}${probes}`;
    case 'tcg-repeats': return '실행하지 않았습니다';
  }
}
