/**
 * Short texts in the languages of the demo's customers. Several contain `<`, `&`, quotes,
 * apostrophes and accents on purpose: the demo doubles as a test of escaping in every view.
 */

export type Tone = 'positive' | 'neutral' | 'negative';

export type TonePool = Record<Tone, readonly string[]>;

/** Comments, spontaneous feedback, micro-rating remarks, detailed likes. */
export const FEEDBACK: TonePool = {
  positive: [
    'Ótimo suporte!',
    'Muy útil',
    'The new dashboard is exactly what we needed.',
    'Adorei o relatório de "clientes em risco" — economizou horas da equipe.',
    'Load time < 2s now & the filters finally remember my choices. Great work!',
    'Excelente webinar, muy claro y práctico.',
    'Our CSMs check the health view every morning now.',
    'Integração com o CRM funcionou de primeira 👏',
    "Love the 'why did the score change' panel.",
  ],
  neutral: [
    'Would be nice to export this to CSV.',
    'Seria bom ter o relatório em português também.',
    '¿Se puede filtrar por segmento y por región a la vez?',
    'OK, but the mobile view is cramped.',
    'Funciona, mas demorei para achar a configuração de pesos.',
    'Interesting article, a bit long.',
  ],
  negative: [
    'Perdi meu tempo com esse conteúdo.',
    'No entiendo por qué el score bajó de 80 a 45 de un día para otro.',
    'The export breaks when a name contains <, > or & characters.',
    'Muito confuso, ninguém da equipe usa.',
    'Too many emails & none of them relevant to us.',
    'La integración "automática" requiere tres pasos manuales.',
    'Again the page says "Unexpected error". Third time this week.',
  ],
};

/** Reasons people type under a survey score. */
export const SURVEY_REASONS: TonePool = {
  positive: [
    'Equipe de sucesso muito atenciosa.',
    'Fácil de usar y el equipo responde rápido.',
    'It does what it says & support is great.',
    'Resolvido em menos de uma hora.',
  ],
  neutral: [
    'Bom produto, preço um pouco alto.',
    'Cumple, pero faltan integraciones.',
    'Fine. The reports could load faster.',
  ],
  negative: [
    'Demorou 5 dias para responderem.',
    'Precio alto para lo que ofrece.',
    'Had to explain the same issue to three different agents.',
    'O processo de configuração é longo demais.',
  ],
};

/** Support ticket subjects. */
export const SUPPORT_SUBJECTS: TonePool = {
  positive: [
    'Dúvida sobre permissões — resolvida, obrigado!',
    'How do I add a new segment? (solved, thanks)',
    'Consulta sobre facturación — gracias por la rapidez',
  ],
  neutral: [
    'Como importar clientes via planilha?',
    '¿Cómo cambio el propietario de una cuenta?',
    'SSO setup for our Azure AD tenant',
    'Webhook payload: is "occurredAt" UTC?',
    'Erro ao conectar com o HubSpot',
    'API returns 429 when we sync > 1000 customers',
  ],
  negative: [
    'URGENTE: relatório não carrega há 3 dias!!!',
    'Scores are wrong for all our <enterprise> accounts',
    'Otra vez el mismo error & nadie responde',
    'Invoice charged twice — need a refund ASAP',
    'Dados sumiram depois da atualização',
    'Escalation: "critical" ticket open for 10 days',
  ],
};

export const MEETING_NOTES: readonly string[] = [
  'QBR: reviewed adoption & next quarter goals.',
  'Reunião de onboarding com o time de CS.',
  'Revisión de roadmap con el equipo de producto.',
  'Training session for 12 new users.',
  'Check-in mensal — tudo certo.',
  'Executive sponsor meeting: renewal "likely".',
];

export const ONBOARDING_NOTES: readonly string[] = [
  'Kickoff de implantação.',
  'Kickoff: integrations, data import & success plan.',
  'Sesión de configuración inicial.',
];

export const TESTIMONIALS: readonly string[] = [
  'Com o Pulso reduzimos o churn em 18% em dois trimestres.',
  '"Finally a health score our CSMs trust." — Head of CS',
  'Nos permitió anticipar cancelaciones & actuar a tiempo.',
  'Case study recorded for the customer conference.',
];

export const COMMERCIAL_NOTES: readonly string[] = [
  'Upgrade: +50 seats',
  'Add-on: módulo de relatórios avançados',
  'Ampliación a la filial de Monterrey',
  'Premium support & SLA package',
  'Plano anual com desconto de 15%',
];

/** What a customer on its way out says, by where it says it. */
export const CANCELLATION = {
  meeting: [
    'Cancellation call: budget cuts, evaluating cheaper alternatives.',
    'Reunião sobre o encerramento do contrato.',
    'Llamada de retención — el cliente pide condiciones de salida.',
  ],
  support_ticket: [
    'How do we export all our data before cancelling?',
    'Como cancelar a renovação automática?',
    '¿Cuál es el plazo de aviso para cancelar?',
  ],
  spontaneous_feedback: [
    'Vamos migrar para outra ferramenta no próximo trimestre.',
    "We're not renewing: nobody on the team logs in anymore.",
    'No vemos el valor & el precio subió.',
  ],
} as const;
