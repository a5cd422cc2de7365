package bot

// The escalation policy recognises intents, not phrases: each concept
// below is the many ways people say one thing ("keep it running longer",
// "push the date back", "hold off the switch-off" all defer the removal),
// in English and in the languages this product's customers write in. The
// policy combines concepts by proximity (policy.go); a concept alone
// decides nothing.

// legacyNames are the ways people new to the product name outbound: by its
// age ("the legacy campaign tool", "the old module", "l'ancien module") or
// by a short form ("OB journey", "OBmod").
const legacyNames = `(?:old|older|legacy|classic|previous|former|original)(?: \w+){0,2} (?:module|tool|app|application|product|system|version|solution|platform)|` +
	`(?:l'|l’)?ancien(?:ne)?s?(?: \w+){0,2} (?:module|outil|application|produit|syst[èe]me|version)|(?:alte[nmrs]?|bisherige[nmrs]?) (?:modul|tool|system|version|produkt)|` +
	`(?:oude?|vorige) (?:module|tool|omgeving|versie|product|systeem)|(?:m[óo]dulo|herramienta|sistema|versi[óo]n) (?:antigu[oa]|viej[oa]|anterior|cl[áa]sic[oa])|` +
	`obmod|(?:in|on|from|into|via) ob|ob (?:mod|module|marketing|emails?|journeys?|segments?|forms?|pages?|events?|side|stuff)`

// months names the months in the languages questions come in, for
// "until <month>".
// seasons name the seasons the same way ("bis Herbst", "hasta otoño").
const seasons = `(?:herbst|frühling|fruehling|sommer|winter|najaar|voorjaar|zomer|automne|printemps|été|hiver|otoño|primavera|verano|invierno|autunno|estate|inverno|outono|verão|verao)`

const months = `(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|januari|februari|maart|mei|augustus|december|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro)`

var (
	// strongDefer asks for more time by itself: no one asks for a grace
	// period or says they won't be ready by the date in passing.
	strongDefer = newConcept("strong defer",
		with(w(`extensions?`, `postpon\w+`, `grace period`, `reprieve`, `waiver`, `exempt\w*`, `carv(?:e|ed|ing)[- ]?out`,
			`(?:left|kept|leave|keep|keeping|leaving|stay|stayed) (?:\w+ )?out of (?:the )?(?:\w+ )?(?:shutdown|removal|switch-?off|retirement|cut-?off|deprecation|sunset)`,
			`ask(?:ed|ing)?(?: \w+){0,2} for (?:\w+ )?(?:more|extra|additional) (?:time|runway|months|weeks)`, `hold(?:ing)? off`,
			`push(?:ed|ing)?(?: \w+){0,5} back`, `(?:new|different|another|extended)(?:[ -]\w+){0,2} (?:date|deadline)`, `later(?:[ -]\w+){1,2} (?:date|deadline)`, `later (?:date|deadline) (?:for|only)`,
			`push(?:ed|ing)? (?:\w+ ){0,3}(?:date|deadline|cut-?off|removal|switch-?off)`,
			`(?:get|ask for|request|apply for|obtain|secure) (?:\w+ ){0,2}(?:more|extra|additional) (?:time|runway|months|weeks)`,
			`(?:can'?t|cannot|won'?t|will not|not going to) (?:make|meet|hit) (?:it|the (?:\w+ ){0,2}(?:date|deadline|cut-?off))`, `(?:not|never) going to be (?:ready|done)`,
			`schaffen (?:\w+ ){0,6}(?:nicht|niemals)`, `opschuiv\w*`, `vooruitschuiv\w*`, `verschuiv\w*`,
			`move(?: \w+){0,3} (?:date|deadline)`,
			`won'?t be (?:ready|done|finished)`, `(?:not|never) (?:be )?(?:ready|done|finished)(?: \w+)? (?:by|before|in time)`,
			`no (?:chance|way)(?: \w+){0,4} (?:done|ready|finish\w*|make it)`, `miss(?:ing)? the (?:deadline|cut-?off)`,
			`(?:can'?t|cannot|can not|unable to|won'?t be able to) (?:migrate|move|transition|switch|finish|complete|be ready|make it|make the deadline|meet the deadline)(?: \w+){0,4} (?:before|by|until|in time)`,
			`(?:datum|termin|date|deadline|fecha|frist|stichtag)(?: \w+){0,5} (?:negotiable|verhandelbar|bespreekbaar|onderhandelbaar|négociable|negociable)`,
			`verlänger\w*`, `fristverlängerung`, `hinaus(?:geschoben|schieben|zuschieben|zögern)`, `aufschub`, `aufschieben`, `nicht rechtzeitig`, `schonfrist`, `gnadenfrist`, `übergangsfrist`, `niemals (?:schaffen|fertig)`,
			`verleng\w*`, `uitstel\w*`, `niet op tijd`, `respijt\w*`, `gratieperiode`,
			`prolongation`, `prolonger`, `sursis`, `dérogation`, `d[ée]rogation`, `(?:pas|jamais) pr[êe]ts?`, `délai de grâce`, `d[ée]lai de gr[âa]ce`, `p[ée]riode de gr[âa]ce`,
			`repouss\w+`, `d[ée]cal(?:er|é|e|ez)`,
			`período de gracia`, `periodo de gracia`,
			`prórroga`, `prorrogar`, `aplaz\w+`, `pospon\w+`, `extensión`, `ampliación del plazo`, `no (?:estaremos|llegamos|llegaremos) a tiempo`,
			`proroga`, `prorogare`, `prorrogação`,
			// Polish.
			`przedłuż\p{L}*`, `przesun\p{L}* (?:\p{L}+ ){0,2}termin\p{L}*`, `odrocz\p{L}*`)))

	// timeAsk asks for time: an extension next to the removal ("a few more
	// months before outbound goes away").
	timeAsk = newConcept("time",
		with(w(`(?:bis|tot|jusqu'(?:à|a|au|en)|hasta|fino a|fino alla|até|ate)(?: \w+)? (?:ende|eind|fin|finales|fine|final|fim|q[1-4]|\d{4}|`+months+`|`+seasons+`)`,
			// Softer words for the same ask: "some latitude on the date",
			// "would an accommodation be possible".
			`latitude`, `leeway`, `wiggle room`, `breathing (?:room|space)`, `headroom`, `report(?:e|ez|é|ée|ions)`, `leniency`, `flexib\w+`, `accommodat\w+`, `concession`, `indulgence`, `suspen(?:d|ds|ded|ding|sion)`,
			`(?:won'?t|will not|wouldn'?t|would not) have (?:\w+ )?(?:finished|completed|migrated|moved|transitioned|switched|rebuilt|done)`,
			`(?:until|till|til) (?:there'?s|there is|we(?:'re| are| have|'ve)|our|the (?:freeze|project|new|rollout|audit|migration)|(?:\w+ ){0,3}(?:parity|lifts?|is live|goes live|are live))`,
			`(?:ein|einem|um ein|un|one|another|een|nog een) (?:quartal|trimestre|kwartaal|quarter)`, `opschort\w*`, `op te schorten`, `aussetz\w*`, `suspendre`, `suspender`, `sospender`,
			`(?:date|deadline|cut-?off|removal)(?: \w+){0,2} (?:moved|pushed|changed|shifted|extended|postponed|delayed)`, `pass on the (?:cut-?off|deadline|date|removal)`,
			`extend(?:ed|ing)?`, `prolong\w*`, `delay\w*`, `defer\w*`, `push(?:ed|ing)?(?: \w+){0,3} out`, `put(?: \w+){0,2} on hold`, `pause\w*`,
			`(?:more|extra|additional|another|some|enough) (?:time|runway|months?|weeks?|quarters?|years?)`,
			`(?:a )?(?:few|couple(?: of)?|two|three|four|six|\d+) (?:more|extra|additional) (?:days|weeks|months|quarters|years)`,
			`longer`, `(?:until|till|through|thru) (?:then|after|the end|end|q[1-4]|next|(?:the )?(?:spring|summer|autumn|fall|winter)|january|february|march|april|may|june|july|august|september|october|november|december|\d{4})`,
			`wait (?:for us|until|till|a (?:bit|while|little|few))`,
			`(?:past|beyond) (?:the )?(?:deadline|cut-?off|date|removal|june|that date)`, `exceptions?`, `opt(?:ing)?[- ]out`,
			`negotiat\w+`, `verhandel\w*`, `verhandl\w*`, `onderhandel\w*`, `special (?:treatment|arrangement|dispensation|case)`,
			`länger`, `mehr zeit`, `ausnahme\w*`, `verschieb\w*`, `(?:noch )?(?:ein paar|einige|ca\.? \d+|\d+) (?:monate|wochen)`,
			`langer`, `meer tijd`, `uitzondering\w*`, `nog (?:een paar|enkele|\d+) (?:maanden|weken)`, `nog even`,
			`délai\w*`, `plus de temps`, `reporter`, `quelques (?:mois|semaines) de plus`, `(?:mois|semaines) suppl[ée]mentaires`, `n[ée]goci\w+`,
			`más tiempo`, `mas tiempo`, `retras\w+`, `excepci[óo]n`, `unos (?:\d+ )?(?:meses|semanas) m[áa]s`, `\d+ (?:meses|semanas) m[áa]s`, `m[áa]s margen`, `negoci\w+`, `todav[íi]a no`,
			`più tempo`, `mais tempo`,
			`(?:mais|altri|altre|ancora|outros|outras) (?:uns |umas |alguns |algumas |qualche |\w+ )?(?:meses|mesi|semanas|settimane|trimestres?|trimestri)`,
			`rimand\w+`, `posticip\w+`, `slitt\w+`, `adiar\w*`, `adiamento`, `adiem`, `prorrog\w+`, `periodo di grazia`, `per[íi]odo de (?:car[êe]ncia|gra[çc]a)`, `deroga`), "more_time", "not_ready"))

	// continuation asks to go on with outbound as it is ("keep it
	// running", "please don't switch it off").
	continuation = newConcept("continuation",
		with(w(`(?:keep|keeps|kept|keeping)(?: \w+){0,3} (?:running|alive|on|going|active|available|enabled|live|working)`,
			`(?:stay|stays|stayed|staying|remain|remains|remained|remaining)(?: \w+)? (?:live|on|running|up|active|available|alive|enabled|working|functional|open|operational|in service|in place|accessible|usable)`, `(?:keep|keeps|kept|keeping) (?:using|outbound|obm|it)`,
			`leave(?: \w+){0,3} (?:on|running|alive|active|enabled)`, `(?:dispose|disposer|disponer|disporre) (?:of|de|di)`, `seguir con`, `(?:tenere|mantenere|lasciare) (?:\w+ ){0,2}attiv\w*`, `(?:manter|deixar) (?:\w+ ){0,2}ativ\w*`, `(?:com|con) (?:o |l'|il )?(?:outbound|obm|m[óo]dulo) (?:ligado|acceso|attivo|ativo)`, `(?:ficar|continuar|manter|mantenha|deixem) (?:\w+ )?ligad[oa]`, `(?:rimanere|restare|resti|rimanga) (?:\w+ )?(?:attiv\w|acces\w)`, `continue (?:to use|using|running|with outbound)`,
			`stay(?:s|ed|ing)? on (?:outbound|obm|it)`, `retain (?:access|outbound)`,
			`(?:don'?t|do not|not|never) (?:remove|pull|switch|turn|shut|disable|kill|cut|take|sunset|retire)\w*`,
			`weiter (?:nutzen|verwenden|laufen)`, `(?:dalej|nadal|dłużej) (?:działa\p{L}*|używa\p{L}*|korzysta\p{L}*)`, `weiter(?:l[äa]uf|nutz|verwend|betreib)\w*`, `(?:aan|actief|beschikbaar) (?:te )?blijven`, `blijven (?:draaien|werken)`, `blijft (?:aan|actief|draaien)`, `laufen lassen`, `behalten`, `blijven gebruiken`, `laten (?:draaien|lopen)`, `aan laten`, `behouden`,
			`continuer à utiliser`, `garder`, `conserver`, `laisser (?:tourner|actif)`, `dejar (?:funcionando|activo)`,
			`seguir (?:usando|utilizando)`, `manten\w*`, `(?:siga|sigan|contin[úu]e|contin[úu]en) (?:\w+ )?(?:activo|activa|funcionando|disponible)`, `rest(?:e|ent|er|ions|iez) (?:actif|active|actifs|disponible|allum[ée]|en (?:place|service))`, `no (?:nos )?(?:lo |la )?(?:quiten|quites|eliminen|retiren|apaguen)`, `laissez(?:-nous)?`, `nous laisser`), "keep_running"))

	// removalTarget is the removal itself, its date, or outbound as the
	// thing that goes away.
	removalTarget = newConcept("removal",
		w(`outbound`, `obm`, `out-bound`, legacyNames, `removal`, `remov\w+`, `deadline`, `cut-?off`, `cutover`, `cut(?:s|ting)?[- ]over`, `switch(?:ing)?[- ]?off`,
			`shut ?(?:down|off)`, `shutdown`, `turn(?:ing)?[- ]?off`, `sunset\w*`, `retir\w+`, `decommission\w*`, `deprecat\w*`,
			`phase[- ]?out`, `go(?:es|ing)? away`, `end of june`, `june 30`, `30 june`, `30th of june`, `(?:the|that) date`, `(?:the )?june (?:date|deadline)`, `in time`,
			`ende juni`, `30\. juni`, `eind juni`, `30 juni`, `fin juin`, `30 juin`, `fin de junio`, `finales de junio`, `30 de junio`, `uitfaser\w*`,
			`abschalt\w*`, `entfernung`, `stichtag`, `frist`, `ausgehend\w*`,
			`verwijder\w*`, `uitfasering`, `uitzetten`, `einddatum`,
			`suppression`, `retrait`, `date limite`, `échéance`, `sortant`,
			`eliminación`, `retirada`, `fecha límite`, `plazo`, `saliente`,
			`rimozione`, `scadenza`, `remoção`, `prazo`, `spegnimento`, `dismissione`, `wyłącz\p{L}*`, `usunięci\p{L}*`, `desligamento`, `desativa[çc][ãa]o`, `fine giugno`, `fim de junho`, `30 giugno`, `30 de junho`, `june shutdown`))

	// outboundThing is outbound marketing or something built in it.
	outboundThing = newConcept("outbound",
		w(`outbound`, `obm`, `out-bound`, `ausgehend\w*`, `sortant`, `saliente`, `uitgaand\w*`,
			legacyNames,
			// The dialog outbound shows when people create something in it.
			`pop-?ups?`, `pop ups?`, `(?:message )?dialog(?:ue)?s?`, `banner`, `hinweisfenster`, `melding`, `ventana emergente`, `fen[êe]tre`, `finestra`))

	// realTime is the product people move to; asking how to do something
	// there is a fair question, not an outbound one.
	realTime = newConcept("realtime",
		w(`real-?time(?: journeys?| marketing)?`, `realtime`, `rtj`, `rtm`, `new (?:app|module|designer|version)`))

	// migration is moving things from outbound to real-time journeys: the
	// transition itself, which the FAQ is about.
	migration = newConcept("migration",
		w(`tak(?:e|es|en|ing) over`, `carr(?:y|ies|ied) over`, `mov(?:e|es|ed|ing)`, `migrat\w+`, `transfer\w*`, `convert\w*`, `rebuild\w*`, `re-?creat\w+`, `port(?:ing|ed)?`, `bring(?: \w+){0,3} over`, `get(?: \w+){0,3} (?:over|across) (?:in)?to`, `import\w*`, `transition\w*`, `switch(?:ing)? (?:to|over)`,
			`umzieh\w*`, `migrier\w*`, `overzetten`, `migreren`, `migrer`, `migrar`))

	// problem is something not working as it should.
	problem = newConcept("problem",
		with(w(`errors?`, `fail\w*`, `broken`, `breaks?`, `breaking`, `bugs?`, `crash\w*`, `stuck`, `blocked`, `blocking`, `hangs?`, `hanging`,
			`bounc\w+`, `blank`, `disappear\w*`, `vanish\w*`, `missing`, `lost`, `lose`, `losing`,
			`not (?:working|sending|loading|saving|publishing|syncing|refreshing|updating|triggering|delivering|rendering|showing|arriving|received|delivered|going out|coming in|being sent|firing|creating|generating|capturing|pushing|pulling|picking|populating|flowing|coming through|counting|tracking|registering|recording|processing|importing|exporting|mapping|routing|scoring)`,
			`(?:isn'?t|aren'?t|wasn'?t|weren'?t|is not|are not) (?:\w+ ){0,2}go(?:ing)? out`,
			`(?:went|go|goes|going|sent|delivered|got) (?:out )?to (?:nobody|no one|noone|nobody)`, `(?:nobody|no one) (?:got|gets|received|receives|opened)`,
			`(?:isn'?t|aren'?t|doesn'?t|don'?t|won'?t|can'?t|cannot|couldn'?t|didn'?t|wasn'?t|weren'?t|dont|doesnt|wont|cant|hasn'?t|haven'?t|hadn'?t|has not|have not|had not) (?:\w+ ){0,2}(?:create|build|edit|close|access|dismiss|use|work|send|sent|load|open|save|publish|go live|gone live|sync|refresh|update|trigger|fire|fired|deliver|render|show|shown|display|submit|receive|get|got|arrive|come|start|run|pick|choos|select|count|track|captur|push|pull|generat|populat|flow|record|process|import|export|complet|finish|appear|been (?:sent|delivered|published|updated|refreshed))\w*`,
			`won'?t (?:\w+ )?(?:pick|let|close|go|finish|complete|budge|accept|allow|move|respond|clear|dismiss)\w*`,
			`no longer (?:\w+ )?(?:submit|send|work|load|show|sync|sav|refresh|updat|trigger|appear|open|fire|deliver|arriv|publish|run)\w*`,
			`(?:can'?t|cannot|won'?t|doesn'?t|don'?t|isn'?t|aren'?t) (?:\w+ ){0,3}any ?more`, `(?:has|have) (?:said|shown|been) (?:\S+ ){0,2}since`,
			`stopped(?: \w+)?`, `keeps? (?:appearing|popping up|showing up|coming up|coming back|failing|crashing|sending)`, `(?:picked|chose|sent|went to|used|shows?|showing|pulls?|pulled) (?:the )?wrong`, `wrong (?:winner|version|list|audience|segment|people|recipients|contacts|email|date|time|variant)`, `undo`, `re-?run`, `revert\w*`, `roll(?:ed)? ?back`, `(?:quit|quits|ceased|ceases) (?:\w+ing|to \w+)`, `not (?:to )?(?:have )?been (?:delivered|sent|received|updated|refreshed|published|processed)`, `(?:showing|shows|showed|stuck at|stays at|reads) (?:0|zero|nothing|no \w+)`, `(?:get|make|have) (?:it|this|that|them)(?: \w+)? again`, `(?:returning|returns|returned|showing|shows|gives|giving) (?:a |an )?(?:blank|empty|white|error)`, `stops? (?:working|sending|syncing|saving)`, `nothing (?:is |was )?(?:being )?(?:sent|going out|happen\w*|delivered|received|arriv\w*)`,
			`no (?:emails?|messages?|leads?|submissions?|registrations?|sends?) (?:are |were |is |have |has )?(?:\w+ )?(?:sent|going out|arriving|coming|delivered|received|created)`,
			`(?:issue|problem|trouble|glitch)s? (?:with|in|on|sending|publishing)`, `troubleshoot\w*`, `debug\w*`, `fix\w*`, `repair\w*`, `sort (?:it|this) out`,
			`look into`, `investigate`, `(?:went|goes|going) wrong`, `something wrong`, `(?:look|looking) at (?:it|this|that)`, `(?:take|have) a look`, `dig into`, `check on`, `sitting in`, `(?:what'?s|what is) wrong`, `out of date`, `stale`, `timing out`, `times out`, `greyed out`, `grayed out`,
			`get rid of`, `make (?:it|this|that) go away`,
			`fehler\w*`, `funktioniert nicht`, `geht nicht`, `kaputt`, `hängt`, `nicht mehr`, `kein\w* \w+ mehr`, `loswerden`, `weg(?:kriegen|bekommen|machen)`, `kriegen (?:wir|ich) (?:das|den|die|es) weg`, `(?:anschauen|ansehen|nachsehen)`,
			`fout\w*`, `werkt niet`, `kapot`, `niet meer`, `geen \w+ meer`, `(?:naar|ernaar) kijken`, `(?:kwijt|weg)raken`, `meekijk\w*`, `blijf\w* hangen`, `blijv\w* hangen`, `(?:worden|werden|wordt|werd) niet (?:\w+ )?(?:verstuurd|verzonden|afgeleverd|bezorgd|aangemaakt)`, `nicht (?:versendet|verschickt|zugestellt|gesendet|angelegt|erstellt)`, `gaat niets(?: meer)? uit`,
			`throws?`, `threw`, `exception`, `[45]\d\d`, `timeout`,
			`erreur\w*`, `ne fonctionne (?:plus|pas)`, `ne marche (?:plus|pas)`, `bloqu[ée]\w*`, `panne`, `(?:n'|ne )\w+ plus`, `se d[ée]barrasser`, `contourn\w*`,
			`(?:capture|captent|marche|fonctionne|envoie|part|partent|remonte|remontent|synchronise|s'affiche|enregistre|sauvegarde)\w* plus`, `reste bloqu\w*`, `rien ne (?:part|sort|marche)`,
			`regarder`, `jeter un (?:oeil|œil)`, `v[ée]rifier`,
			`no funciona`, `falla\w*`, `atascad\w*`, `bloquead\w*`, `ya no`, `deshacer(?:nos|me) de`, `se queda\w*`, `no (?:le |les )?(?:sale|salen|salieron|sali[óo]|llega|llegan|llegaron|env[íi]a|guarda|funciona|funcion[óo])`, `arregl\w*`, `nada sale`, `no sale nada`, `me (?:sale|salta|aparece)`, `(?:c[óo]mo|forma de|manera de) (?:lo |la |los |las |me |nos )?(?:quit|sac|elimin|desactiv|oculta|cierr|cerr)\w*`, `no se (?:env[íi]an|envi[óo]|entregan|crean|guardan)`, `pas (?:envoy|d[ée]livr|re[çc]u)\w*`, `revisar\w*`, `echar un vistazo`), "something_broken", "please_fix"))

	// doing is setting up, building or changing something.
	doing = newConcept("do",
		w(`how (?:do|can|should|would|could|to|i|we)`, `how'?d`, `steps?`, `walk (?:me|us) through`, `guide (?:me|us)`, `instructions`, `where (?:do|can) (?:i|we) (?:set|configure|change|find the (?:button|setting|option))`,
			`(?:need|want|trying|try|have|planning|going) to (?:build|create|set ?up|configure|send|schedule|change|edit|add|publish|republish|update|launch|run|make|design|modify|copy|clone)`,
			`(?:can|could|would|will) (?:you|someone|somebody|anyone|microsoft|ms|support)(?: please)? (?:set|create|build|configure|send|schedule|change|add|publish|enable|activate|turn|restore|fix|check|get|sort|look|update|help)`,
			`please (?:set|create|build|configure|send|schedule|change|add|publish|enable|activate|turn|restore|fix|check|get|sort|update|help)`,
			`set ?up`, `configur\w+`, `creat\w+`, `rais(?:e|es|ed|ing)`, `increas\w+`, `lift(?:s|ed|ing)?`, `bump(?:s|ed|ing)? up`, `disabl\w*`, `turn(?: \w+){0,2} off`, `switch(?: \w+){0,2} off`, `hid(?:e|ing)`, `suppress\w*`, `build\w*`, `schedul\w+`, `publish\w*`, `republish\w*`, `edit\w*`, `customi[sz]\w+`, `design\w*`, `launch\w*`,
			`post(?:s|ed|ing)?`, `shar(?:e|ed|ing)`, `add(?:ing)?`, `cop(?:y|ies|ied|ying)`, `clon\w+`, `duplicat\w+`, `reus\w+`, `mont(?:ar|o|amos)`, `spin(?:ning)?(?: \w+){0,2} up`, `arm(?:ar|o|amos)`, `prepar\w+`, `param[ée]tr\w*`, `mettre en place`, `ustawi\p{L}*`, `utworz\p{L}*`, `tworzy\p{L}*`, `skonfigur\p{L}*`, `deactivat\w*`, `duplizier\w*`, `kopier\w*`, `anpass\w*`, `umstell\w*`, `änder\w*`, `bearbeit\w*`, `chang(?:e|es|ed|ing)`, `modif\w+`, `updat\w+`,
			`programm\w+`, `reprogramm\w+`, `planifi\w+`, `publi(?:er|é|ons|ez)`, `publicar`, `programar`, `planen`, `veröffentlich\w*`, `inplann\w*`, `plannen`, `anbind\w*`, `anzubinden`, `verbind\w*`, `koppel\w*`, `conect\w*`, `connecter`, `sync\w*`, `connect\w*`, `integrat\w*`,
			`einrichten`, `erstellen`, `konfigurieren`, `bauen`, `anlegen`, `aufsetzen`, `wie (?:kann|können)`, `instellen`, `aanmaken`, `hoe (?:kan|moet)`,
			`configurer`, `créer`, `comment (?:faire|créer|configurer)`, `configurar`, `crear`, `cómo (?:puedo|hago|configuro|creo)`))

	// reenable asks for outbound (or its parts) to be switched back on or
	// added.
	reenable = newConcept("reenable",
		with(w(`re-?enabl\w*`, `re-?activat\w*`, `reinstat\w*`, `restor\w*`, `reinstall\w*`, `bring(?: \w+){0,4} back`,
			`(?:needs?|wants?|get|gets|have|has|put|flip|switch|turn)(?: \w+){0,3} back`, `turn(?:s|ed|ing)?(?: \w+){0,3} (?:back )?on`, `switch(?:es|ed|ing)?(?: \w+){0,3} (?:back )?on`,
			`enabl\w*`, `activat\w*`, `add (?:it|that|this|them)(?: back)?`, `(?:needs?|wants?|requires?) (?:the )?(?:classic |old |legacy )?(?:outbound|obm)(?: marketing)?(?: (?:in|on|for|like|too|enabled|added|back|turned|bc|because|since|as)|$)`, `unhid\w*`, `un-hid\w*`, `add(?: \w+){0,3} outbound`, `(?:get|give|grant)(?: \w+){0,2} access`, `provision\w*`, `install(?: \w+){0,2} outbound`, `instal(?:ar|em|e|ado)(?:-\w+)?`, `installar\w*`, `installier\w*`, `installeer\w*`,
			`aktivier\w*`, `wiederherstell\w*`, `freischalt\w*`, `(?:wieder )?einblend\w*`, `zichtbaar maken`, `weer tonen`, `mostrar de nuevo`, `volver a mostrar`, `schalt\w*(?: \w+){0,5} frei`, `wieder (?:einschalten|aktivieren|herstellen)`, `einschalt\w*`, `anschalt\w*`, `zurück(?:holen|bekommen|haben)`,
			`activer\w*`, `inschakel\w*`, `aan ?zetten`, `aanzet\w*`, `terugzett\w*`, `terug(?:krijgen|halen|zetten)`, `(?:zet|zetten) (?:\w+ ){0,4}aan`,
			`r[ée]activ\w*`, `r[ée]tablir`, `activer`, `l'activer`, `r[ée]affich\w*`, `remettre`,
			`reactiv\w*`, `activar`, `activ(?:as|ado|ada|an|en|a|e)`, `habilit\w*`, `restaurar`, `volver a (?:activar|poner|tener)`), "turn_back_on"))

	// social is social posting and LinkedIn: removed with outbound.
	social = newConcept("social",
		w(`social[- ](?:post\w*|media|network\w*|publish\w*|channels?|selling)`, `linked ?in`, `li lead`, `lead[- ]?gen(?:eration)? forms?`, `facebook`, `twitter`, `instagram`,
			`soziale (?:medien|netzwerke)`, `sociale media`, `réseaux sociaux`, `redes sociales`))

	// future asks what the product will bring, an information question.
	future = newConcept("future",
		w(`roadmap`, `release (?:wave|plan)s?`, `future release`, `plan(?:s|ned|ning)? to (?:add|support|bring|offer|release)`,
			`(?:come|coming) (?:back|to real-?time|to rtj)`, `be (?:added|supported|available|back) (?:in|to|again)`, `when will`, `any (?:news|plans|update) (?:on|about)`))

	// info asks how things are or will be, not for something to be done.
	info = newConcept("info",
		with(w(`what (?:\w+ )?(?:happens|will happen|does it mean|changes)`, `will(?: \w+){1,4} (?:still|keep|continue|stop|be|work|stay|remain|last)\w*`, `(?:does|do|is|are|can) (?:\w+ ){0,4}still`,
			`(?:is )?(?:this|that|it) (?:is )?(?:normal|expected|by design|intended|correct|true|right)`, `is it just`, `does it (?:actually )?(?:stop|block|prevent)`, `(?:do|does|will|would) (?:\w+ ){0,2}(?:lose|lost|get deleted)`,
			`does (?:the |this |that )?\w+ mean`, `(?:do|does|will) (?:\w+ ){0,4}(?:vanish|disappear|go away|get (?:deleted|lost))`, `by design`, `expected behaviou?r`,
			`why (?:is|was|did|are|were|aren'?t|isn'?t|has|have)`,
			// "Will they still …?" in the other languages.
			`(?:pourr|peu|ser|ir)\w*-(?:ils|elles|on|nous|je) (?:\w+ )?(?:encore|toujours)`, `(?:podr[áa]n?|podremos|seguir[áa]n?|seguiremos) (?:\w+ )?todav[íi]a`,
			`(?:können|kann|werden|wird) (?:\w+ ){0,3}(?:noch|weiterhin)`, `(?:kunnen|kan|blijft|blijven) (?:\w+ ){0,3}nog(?: steeds)?`, `what (?:should|do) (?:we|i) (?:use|do) instead`, `instead of`, `recommend\w*`, `alternative\w*`), "just_information"))

	// reasons asks why, or what to use instead: about the product's
	// choices, not for help with them.
	reasons = newConcept("reasons",
		w(`why`, `warum`, `waarom`, `pourquoi`, `por qué`, `instead`, `recommend\w*`, `alternative\w*`, `replacement`, `replace`, `stattdessen`, `plutôt`, `en su lugar`))

	// human asks for a person.
	human = newConcept("human",
		with(w(`(?:talk|speak|chat|connect|get in touch|be in touch)(?: me| us)? (?:to|with) (?:a |an |some |your |the )?(?:(?:actual|real|proper|ms|microsoft|msft|live) ){0,2}(?:human|person|people|someone|somebody|agent|rep|representative|engineer|expert|consultant|support|team|colleague|manager)`,
			`(?:real|actual|live) (?:person|human|agent|people)`, `human (?:please|agent|being|help)`, `(?:get|want|need|have)(?: \w+){0,2} (?:a |an )?(?:human|person|agent)`,
			`ask a human`, `escalat\w*`, `who (?:do|should|can|could) (?:we|i) (?:loop in|involve|bring in)`, `loop(?: \w+){0,2} in`,
			`(?:would like|wants?|needs?|asks? for|requests?) (?:a |an )?(?:microsoft |ms |msft )?(?:specialist|expert|engineer|consultant|rep|representative|architect)`, `(?:open|raise|log|file|create|submit)(?: \w+){0,3} (?:ticket|case|incident)`,
			`(?:open|raise|log|file|submit)(?: \w+){0,2} (?:with|w|w/) (?:support|microsoft|ms|msft)`,
			`(?:get|find|put) (?:me|us) (?:in touch with |through to )?(?:someone|somebody|a person|a human|a rep|an expert|an engineer|a specialist|whoever|the (?:right )?(?:person|people|team))`, `on the phone`,
			`(?:someone|somebody|a person|an expert|a specialist|an engineer|us|me) on (?:a|the) (?:call|phone|teams call|zoom)`,
			`who (?:can|could|should|do|would) (?:i|we)(?: \w+){0,2} (?:talk|speak|chat) (?:to|with)`,
			`is there (?:someone|somebody|anyone|a person)(?: \w+){0,4} (?:who|that) (?:can|could|would|will)`,
			`(?:discuss|talk|speak|chat|go over)(?: \w+){0,4} with (?:a |an )?(?:person|human|real person|someone|somebody)`, `rather than (?:a |the |your )?(?:chat)?bot`, `rather than (?:through |via |by )?(?:this|a|the) (?:channel|chat|tool|assistant)`, `(?:a |with a )?member of (?:staff|your team|the team|the support team)`,
			`(?:ticket|case|incident) (?:to be |be |being )?(?:raised|opened|logged|filed|created)`,
			`(?:me|ons|mij)(?: \w+){0,2} (?:kan |kunt |kunnen )?(?:bellen|terugbellen)`, `(?:mich|uns)(?: \w+){0,2} (?:anrufen|zurückrufen)`, `(?:m'appeler|nous appeler|nous rappeler)`, `(?:llamarme|llamarnos)`,
			`(?:call|phone|ring) (?:me|us) back`, `(?:book|schedule|set ?up|arrange|organi[sz]e)(?: \w+){0,3} (?:call|meeting|session|screen ?share|workshop)`, `(?:call|meeting|session|workshop) with (?:a |an |someone|somebody|microsoft|ms|your|one of)`, `sit down with`, `(?:get|have|bring) (?:\w+ ){1,4}on (?:a|the) (?:call|phone|teams|zoom)`, `(?:want|wants|need|needs|like|get|have) a call`, `with whoever`, `book(?: \w+){0,3} (?:teams|zoom|slot)`,
			`(?:name|number|contact|email|phone)(?: \w+){0,3} (?:for|of) (?:someone|somebody|a person|the person|whoever)`, `meet (?:with )?(?:someone|somebody|a person|an expert|one of)`, `get (?:a|that|the) meeting`, `screen ?shar\w*`, `call ?back`, `(?:get|jump|hop) on a call`, `a call with`, `call (?:me|us)`,
			`(?:rep|representative|someone|person|account manager|contact) to (?:call|contact|email|reach|phone) (?:me|us)`, `(?:someone|somebody|anyone|person)(?: \w+){0,4} (?:i|we) can (?:call|talk|speak|contact|phone)`,
			`(?:can|could) (?:someone|somebody|anyone|a person)(?: from)?(?: \w+){0,3} (?:call|contact|reach|help|get in touch)`, `contact (?:me|us)\b`,
			`mit (?:einem|einer) (?:menschen|mitarbeiter\w*|person)`, `(?:menschen|mitarbeiter) sprechen`, `ansprechpartner`,
			`met (?:iemand|een mens|een medewerker)`, `medewerker spreken`, `iemand (?:spreken|bellen)`, `(?:een )?echte? (?:persoon|mens)`,
			`(?:mit )?jemande?m?(?: \w+)? (?:sprechen|reden|besprechen)`, `rückruf\w*`, `zurückruf\w*`, `ruf(?:t|en|e)? (?:\w+ ){0,3}zurück`, `am telefon`, `telefonisch`, `ansprechperson\w*`,
			`(?:termin|workshop|meeting|call|gespräch|besprechung)(?: \w+){0,3} vereinbar\w*`, `join (?:our|us|the|a)(?: \w+){0,3} (?:kick-?off|meeting|call|workshop|session)`, `from a (?:person|human)`, `echte[rn]? (?:person|mensch|mitarbeiter)`,
			`une vraie personne`, `un vrai humain`, `una persona real`, `(?:porozmawiać|rozmawiać) z (?:kimś|człowiekiem|osobą|konsultantem)`, `(?:otworzyć|założyć|zgłosić) (?:\w+ )?(?:zgłoszenie|ticket|sprawę)`,
			`parler (?:à|a|avec) (?:quelqu'un|un humain|une personne|un conseiller|une vraie personne)`, `ouvrir (?:un )?ticket`, `cr[ée]er (?:un )?ticket`,
			`hablar con (?:alguien|una persona|un humano|un agente)`, `abrir (?:un )?ticket`, `ticket (?:öffnen|aufmachen|aanmaken|openen)`), "talk_to_person"))

	// strongRequest asks for something to be done for us, beyond a plain
	// "can we …?".
	strongRequest = newConcept("strong request",
		w(`is (?:it|there)(?: \w+)? (?:possible|a way|any way|anything|any chance|a chance|a process|an option|someone|a form)`,
			`any (?:way|chance|option)`, `(?:our|the|what are (?:our|the|my)) options`, `please`, `pls`, `plz`, `kindly`, `request\w*`, `ask\w* (?:for|microsoft|ms)`, `apply\w* for`,
			`(?:we|i) (?:just |really |urgently |still )?(?:need|want|would like|'d like|require|must have)`, `(?:could|would|can|will) (?:you|microsoft|ms|someone)`, `j'ai besoin`,
			`needs? to (?:build|create|set ?up|configure|send|schedule|change|edit|add|publish|republish|update|launch|run|make|fix|get)`,
			`(?:can|could|would|might) (?:that|this|it) be (?:arranged|done|organi[sz]ed|made|investigated|looked into|fixed|checked)`, `envisageable`, `serait-il possible`, `(?:have|get) (?:this|it|that) (?:fixed|looked at|investigated|sorted|checked)`, `(?:want|wants|need|needs|asking|asked|asks|expect|expects) (?:me|us|you|microsoft|ms|someone) to`,
			`is there (?:\w+ ){0,2}(?:mechanism|way|process|option|route|path|possibility|procedure|arrangement|provision|allowance|latitude|leeway|flexibility)`,
			`(?:written|formal|official) (?:confirmation|commitment|assurance|agreement|approval|request)`, `formally`, `appl(?:y|ies|ied|ying)(?: \w+)? for`,
			// Asking for outbound itself to go on: "could outbound remain available to us".
			`(?:can|could|would|may|might|kan|kann|kunnen|können|peut|pourrait|puede|podr[íi]a) (?:the|our|this|that|it|outbound|obm|het|de|onze|das|der|die|es|unser\w*|le|la|l'\w+|el|nuestro)(?: \w+){0,4} (?:remain|stay|keep|continue|be kept|be left|aan|blijven|bleiben|weiter\w*|rester|seguir)`,
			`(?:irgend)?eine möglichkeit`, `gibt(?: es|'?s)`, `an wen`, `bitte[tn]`, `verzoek\w*`, `solicit\w*`, `quisi[ée]ramos`, `procedimiento`, `demand(?:e|er|ez|ons)`, `ask that`, `(?:we|i) (?:would|'d) (?:ask|request)`, `on (?:our|my) behalf`,
			`(?:à|a) qui`, `proc[ée]dure`, `pod[ée]is`, `a qui[ée]n`, `c'[eè] (?:un )?modo`, `potete`, `potreste`, `per favore`, `per piacere`, `si pu[oò]`, `[èe] possibile`,
			`tem como`, `d[áa] pra`, `voc[êe]s (?:conseguem|podem)`, `podem`, `poderiam`, `precisamos`, `a quem`, `a chi`, `possiamo chiedere`, `ci serv\w+`, `aanvra\w*`, `aan te vragen`, `wants? (?:\w+ ){0,6}to (?:keep|stay|remain|continue)`, `what(?:'?s| is) the (?:route|process|way|procedure)`,
			`(?:who|where) (?:do|can|should|would) (?:we|i)`, `let us`, `allow us`, `give us`,
			`bitte`, `alstublieft`, `graag`, `s'il vous plaît`, `svp`, `por favor`,
			`kann (?:microsoft|jemand)`, `könnt ihr`, `können sie`, `kunnen jullie`, `kunt u`, `kan iemand`, `pouvez-vous`, `pourriez-vous`, `vous pouvez`, `tu peux`, `on a besoin`,
			`pueden`, `podr[íi]an`, `se puede`, `necesitamos`, `porfa`))

	// request frames a question as asking for something for us.
	request = newConcept("request",
		w(`(?:can|could|may|might|would|will) (?:we|i|you|u|microsoft|ms|they|our \w+|someone|somebody|anyone)`, `how (?:we|i) (?:can|could|should|do|must)`,
			`est-ce qu'il existe`, `existe-t-il`, `envisageable`, `serait-il possible`, `(?:can|could|would|might|may) (?:that|this|it) be`, `demand(?:e|er|ez|ons)`, `(?:be|is it|it'?s) possible`, `is there (?:any|some)`, `is there (?:\w+ )?(?:wiggle|room|flexibility|leeway|latitude|chance|way)`, `obtain\w*`, `(?:written|formal|official) (?:confirmation|commitment|assurance)`, `appl(?:y|ies|ied|ying)(?: \w+)? for`,
			`(?:can|could|may|might|would|will|kan|kann|kunnen|können|peut|puede) (?:outbound|obm)`, `(?:irgend)?eine möglichkeit`, `gibt(?: es|'?s)`, `an wen`, `bitte[tn]`, `verzoek\w*`, `solicit\w*`, `quisi[ée]ramos`, `procedimiento`, `proc[ée]dure`, `obtenir`, `hay (?:alguna |algún |algun )?(?:forma|manera|posibilidad|modo)`, `nos dejen`, `dejarnos`, `asap`, `urgent\w*`, `is (?:it|there)(?: \w+)? (?:possible|a way|any way|anything|any chance|a chance|a process|an option|someone|a form)`,
			`any (?:way|chance|option)`, `options?`, `please`, `pls`, `plz`, `kindly`, `request\w*`, `ask\w* (?:for|microsoft|ms)`, `apply\w* for`,
			`(?:we|i) (?:need|want|would like|'d like|require|must have)`, `need(?:s|ed)?`, `(?:how|where|who) (?:do|can|should|would) (?:we|i)`, `what(?:'?s| is) the (?:route|process|way|procedure)`,
			`let us`, `allow us`, `give us`, `for (?:us|our (?:org|company|tenant|environment|team|business|client|customer))`,
			`können wir`, `kann ich`, `einreich\w*`, `beantrag\w*`, `antrag`, `kann (?:microsoft|jemand|man)`, `könnt ihr`, `können sie`, `bitte`, `brauchen`,
			`kunnen we`, `kan ik`, `kunnen jullie`, `kunt u`, `kan iemand`, `alstublieft`, `graag`, `liefst`,
			`pouvons-nous`, `puis-je`, `pouvez-vous`, `pourriez-vous`, `vous pouvez`, `tu peux`, `tu pourrais`, `on peut`, `peut-on`, `est-ce qu'on peut`, `on a besoin`, `nous avons besoin`, `s'il vous plaît`, `svp`, `stp`,
			`podemos`, `puedo`, `pueden`, `pod[ée]is`, `posso`, `possiamo`, `potete`, `potreste`, `per favore`, `c'[eè] (?:un )?modo`, `[èe] possibile`, `si pu[oò]`,
			`tem como`, `d[áa] pra`, `voc[êe]s (?:conseguem|podem)`, `podem`, `poderiam`, `precisamos`, `preciso`, `aanvra\w*`, `aan te vragen`, `(?:à|a) qui`, `a qui[ée]n`, `ask that`, `on (?:our|my) behalf`, `podr[íi]an`, `se puede`, `me lo`, `nos lo`, `necesitamos`, `necesito`, `por favor`, `porfa`, `como hacemos`, `c[óo]mo hacemos`, `como (?:é que )?(?:fazemos|podemos|se faz|pedimos)`, `come (?:si ottiene|si fa|facciamo|possiamo|chiediamo)`, `a quem`, `a chi`, `possiamo chiedere`, `ci serv\w+`, `podemos pedir`, `podem`, `pedido`, `richiesta`,
			`(?:ask|asks|asking|asked|wonder\w*|want to know|wants to know) (?:if|whether)`, `da się`, `prosi\p{L}*`, `prosimy`, `czy (?:można|możemy|mogą|mogę)`))
)
